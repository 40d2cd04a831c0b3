import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { ErrorCodes, NightshiftError, type ReleaseEntry } from '@nightshift/protocol';
import { appOf, cliContext } from '../lib/context.js';
import { table } from '../lib/format.js';
import { printJson } from '../output.js';

export function registerApps(program: Command): void {
  const apps = program
    .command('apps')
    .description('list the apps on this daemon')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const list = await cliContext().client.call(api.listApps, {});
      if (opts.json) return printJson(list);
      process.stdout.write(
        table(
          ['APP', 'RELEASE', 'PROCESSES', 'REPLICAS'],
          list.map((a) => [a.name, a.release ?? '-', String(a.processes), String(a.replicas)]),
        ),
      );
    });

  apps
    .command('destroy')
    .description('stop an app and delete its releases, logs and state')
    .argument('<name>', 'the app')
    .option('--confirm <name>', 'the name again, to skip the question')
    .action(async (name, opts) => {
      let confirm = opts.confirm;
      if (confirm === undefined) {
        if (!process.stdin.isTTY) {
          throw new NightshiftError(
            ErrorCodes.confirmMismatch,
            `destroying ${name} needs confirmation`,
            `pass --confirm ${name}`,
          );
        }
        const { createInterface } = process.getBuiltinModule('node:readline/promises');
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        confirm = (
          await rl.question(
            `This deletes ${name}'s processes, releases and logs. Type the app's name to confirm: `,
          )
        ).trim();
        rl.close();
      }
      if (confirm !== name) {
        throw new NightshiftError(
          ErrorCodes.confirmMismatch,
          `"${confirm}" is not "${name}"; nothing was destroyed`,
          `pass --confirm ${name}`,
        );
      }
      await cliContext().client.call(api.destroyApp, { params: { app: name } });
      process.stderr.write(`destroyed ${name}\n`);
    });

  program
    .command('releases')
    .description("the app's releases, newest first")
    .option('--json', 'print as JSON')
    .action(async (opts, cmd) => {
      const app = appOf(cmd);
      const list = await cliContext().client.call(api.releases, { params: { app } });
      if (opts.json) return printJson(list);
      process.stdout.write(
        table(
          ['RELEASE', 'CREATED', 'OUTCOME', 'GUARD', 'SOURCE'],
          list.map((r) => [r.version, r.createdAt, r.outcome, guardText(r), r.source]),
        ),
      );
    });
}

/** `watching until 16:40:00`, `kept`, `rolled back: emails.1 crashed 3 times (exit 1, …)`, or `-`. */
function guardText(r: ReleaseEntry): string {
  const g = r.guard;
  if (!g) return '-';
  if (g.state === 'watching') return `watching until ${g.until?.slice(11, 19) ?? '?'} UTC`;
  if (g.state === 'rolled-back') return `rolled back: ${g.reason ?? '?'}`;
  if (g.state === 'failed') return `failed, nothing to restore: ${g.reason ?? '?'}`;
  return g.state;
}
