import { api } from '@nightshift/protocol';
import { readFileSync } from 'node:fs';
import type { Command } from '@commander-js/extra-typings';
import { ErrorCodes, NightshiftError, type VarsChangeResponse } from '@nightshift/protocol';
import { appOf, cliContext, type CliContext } from '../lib/context.js';
import { ensureDaemon } from '../lib/daemon-process.js';
import { table } from '../lib/format.js';
import { CliError, printJson } from '../output.js';

const HISTORY_WARNING =
  'warning: a value on the command line stays in your shell history and shows in `ps` while the command runs; prefer `nightshift secrets set NAME` with the value on stdin\n';

export function registerSecrets(program: Command): void {
  const secrets = program
    .command('secrets')
    .description("the app's encrypted secrets: values go in, never come out");

  secrets
    .command('set')
    .description(
      'set a secret from stdin (hidden prompt on a terminal) or --from-file; NAME=VALUE works but is logged by your shell',
    )
    .argument('<name...>', 'NAME (value from stdin or --from-file), or NAME=VALUE pairs')
    .option('--from-file <file>', 'take the value from this file, byte for byte')
    .option('--no-restart', 'stage the change: processes keep the old value until the next deploy or restart')
    .option('--json', 'print the result as JSON')
    .action(async (args, opts, cmd) => {
      const app = appOf(cmd);
      // Secrets come before the first deploy (which fails without them), so this may be the daemon's first use.
      const ctx = cliContext();
      await startDaemonIfNeeded(ctx);
      const values = await valuesFrom(args, opts.fromFile);
      const result = await ctx.client.call(api.setSecrets, {
        params: { app },
        body: { values, restart: opts.restart },
      });
      reportChange(result, 'set', opts.json);
    });

  secrets
    .command('ls')
    .description('names, keyed digests and dates of the secrets (never values)')
    .option('--json', 'print as JSON')
    .action(async (opts, cmd) => {
      const app = appOf(cmd);
      const list = await cliContext().client.call(api.listSecrets, { params: { app } });
      if (opts.json) return printJson(list);
      if (list.length === 0) return void process.stderr.write(`${app} has no secrets\n`);
      process.stdout.write(
        table(
          ['NAME', 'DIGEST', 'CREATED', 'UPDATED', 'STATUS'],
          list.map((s) => [s.name, s.digest, s.createdAt, s.updatedAt, s.status]),
        ),
      );
    });

  secrets
    .command('rm')
    .description('remove secrets')
    .argument('<names...>', 'the names')
    .option('--no-restart', 'stage the change until the next deploy or restart')
    .option('--force', "remove a secret the live release's manifest lists (its processes lose it)")
    .option('--json', 'print the result as JSON')
    .action(async (names, opts, cmd) => {
      const app = appOf(cmd);
      const result = await cliContext().client.call(api.removeSecrets, {
        params: { app },
        body: { names, restart: opts.restart, force: opts.force === true },
      });
      reportChange(result, 'removed', opts.json);
    });

  secrets
    .command('rotate-key')
    .description("re-encrypt every app's secrets under a new master key, all or nothing")
    .option('--json', 'print the result as JSON')
    .action(async (opts) => {
      const result = await cliContext().client.call(api.rotateKey, {});
      if (opts.json) return printJson(result);
      process.stderr.write(
        `master key rotated (${result.previous} → ${result.fingerprint}); ${result.secrets} secret${result.secrets === 1 ? '' : 's'} re-encrypted\n`,
      );
    });
}

/** Starts the daemon in the background when none answers, like `up`. */
export async function startDaemonIfNeeded(ctx: CliContext): Promise<void> {
  const { started } = await ensureDaemon(ctx);
  if (started) process.stderr.write(`started the daemon (home ${ctx.paths.home})\n`);
}

/** Prints what a config or secret change did (stderr), or the result as JSON (stdout); warnings always on stderr. */
export function reportChange(result: VarsChangeResponse, verb: string, json: boolean | undefined): void {
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (json) return printJson(result);
  const effect = {
    rolling: 'its processes were restarted one replica at a time',
    staged: 'staged: processes keep the old values until the next deploy or `nightshift restart`',
    'not-running': 'it applies when the app is deployed',
    'not-injected': 'no running process receives it, so nothing was restarted',
  }[result.restart];
  process.stderr.write(`${verb} ${result.names.join(', ')} on ${result.app}; ${effect}\n`);
}

/** NAME=VALUE pairs (with a warning), or one NAME whose value comes from --from-file or stdin. */
async function valuesFrom(args: string[], fromFile: string | undefined): Promise<Record<string, string>> {
  const pairs = args.filter((arg) => arg.includes('='));
  if (pairs.length > 0) {
    if (pairs.length !== args.length || fromFile !== undefined) {
      throw new NightshiftError(
        ErrorCodes.usage,
        'give either NAME=VALUE pairs or a single NAME (value on stdin or --from-file)',
        'e.g. `printf %s "$URL" | nightshift secrets set DATABASE_URL`',
      );
    }
    process.stderr.write(HISTORY_WARNING);
    const values: Record<string, string> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      values[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return values;
  }
  if (args.length !== 1) {
    throw new NightshiftError(
      ErrorCodes.usage,
      'one secret at a time from stdin or --from-file',
      'set them one by one, e.g. `nightshift secrets set DATABASE_URL < url.txt`',
    );
  }
  const name = args[0]!;
  return { [name]: fromFile !== undefined ? readValueFile(fromFile) : await readStdinValue(name) };
}

function readValueFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new NightshiftError(
      ErrorCodes.usage,
      `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      'check the path and its permissions',
    );
  }
}

/**
 * The value from stdin: on a terminal a prompt without echo (one line); from a pipe or file everything, less
 * one trailing newline (what `echo` and most editors add).
 */
async function readStdinValue(name: string): Promise<string> {
  if (process.stdin.isTTY) return readHidden(`value of ${name} (input hidden): `);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new CliError(ErrorCodes.usage, 'cancelled; nothing was set', '', 130));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
