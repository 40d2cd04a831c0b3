import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { ErrorCodes, NightshiftError, type RedisInfo } from '@nightshift/protocol';
import { appOf, cliContext } from '../lib/context.js';
import { printJson } from '../output.js';

export function registerRedis(program: Command): void {
  const redis = program
    .command('redis')
    .description("the app's share of the machine's Redis (`redis: true`): info, flush, rotate");

  redis
    .command('info')
    .description("memory, refused writes and the app's key count; the app's user and prefix")
    .option('--json', 'print as JSON')
    .action(async (opts, cmd) => {
      const info = await cliContext().client.call(api.redisInfo, { params: { app: appOf(cmd) } });
      if (opts.json) return printJson(info);
      process.stdout.write(formatInfo(info));
    });

  redis
    .command('flush')
    .description("delete every key of the app (its prefix only; other apps' keys stay)")
    .option('--confirm <name>', "the app's name, to skip the question")
    .action(async (opts, cmd) => {
      const app = appOf(cmd);
      const confirm = opts.confirm ?? (await ask(app));
      const res = await cliContext().client.call(api.redisFlush, {
        params: { app },
        body: { confirm },
      });
      process.stderr.write(`deleted ${res.keys} keys of ${app}\n`);
    });

  redis
    .command('rotate')
    .description('a new Redis password: added, rolled out to every process, then the old one removed')
    .action(async (_opts, cmd) => {
      const app = appOf(cmd);
      await cliContext().client.call(api.redisRotate, { params: { app } });
      process.stderr.write(`rotated the Redis password of ${app}\n`);
    });
}

async function ask(app: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new NightshiftError(
      ErrorCodes.confirmMismatch,
      `flushing ${app}'s Redis keys needs confirmation`,
      `pass --confirm ${app}`,
    );
  }
  const { createInterface } = process.getBuiltinModule('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(
    `This deletes every Redis key of ${app} (${app}:*). Type the app's name to confirm: `,
  );
  rl.close();
  return answer.trim();
}

export function formatInfo(info: RedisInfo): string {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  const memory =
    info.maxmemory > 0
      ? `${mib(info.usedMemory)} of ${mib(info.maxmemory)} (${Math.round((info.usedMemory / info.maxmemory) * 100)} %)`
      : `${mib(info.usedMemory)} (no maxmemory)`;
  const lines = [
    `server:          Redis ${info.version} (${info.mode}), maxmemory-policy ${info.policy}`,
    `memory:          ${memory}`,
    `refused writes:  ${info.rejectedWrites}`,
    `user:            ${info.user}`,
    `prefix:          ${info.prefix}`,
    `keys:            ${info.keysExact ? '' : '~'}${info.keys}`,
    ...info.warnings.map((w) => `warning: ${w}`),
  ];
  return lines.join('\n') + '\n';
}
