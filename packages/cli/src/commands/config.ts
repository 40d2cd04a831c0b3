import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { appOf, cliContext } from '../lib/context.js';
import { table } from '../lib/format.js';
import { printJson } from '../output.js';
import { reportChange, startDaemonIfNeeded } from './secrets.js';

export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description("the app's plain config vars (values shown; use `secrets` for credentials)");

  config
    .command('set')
    .description('set config vars, e.g. `config set LOG_LEVEL=debug WORKER_CONCURRENCY=8`')
    .argument('<pairs...>', 'NAME=VALUE pairs')
    .option(
      '--no-restart',
      'stage the change: processes keep the old values until the next deploy or restart',
    )
    .option('--json', 'print the result as JSON')
    .action(async (pairs, opts, cmd) => {
      const app = appOf(cmd);
      const values: Record<string, string> = {};
      for (const pair of pairs) {
        const eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new NightshiftError(
            ErrorCodes.usage,
            `"${pair}" is not NAME=VALUE`,
            'e.g. `nightshift config set LOG_LEVEL=debug` (an empty value: `NAME=`)',
          );
        }
        values[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      const ctx = cliContext();
      await startDaemonIfNeeded(ctx);
      const result = await ctx.client.call(api.setConfig, {
        params: { app },
        body: { values, restart: opts.restart },
      });
      reportChange(result, 'set', opts.json);
    });

  config
    .command('ls')
    .description('the config vars with their values')
    .option('--json', 'print as JSON')
    .action(async (opts, cmd) => {
      const app = appOf(cmd);
      const list = await cliContext().client.call(api.listConfig, { params: { app } });
      if (opts.json) return printJson(list);
      if (list.length === 0) return void process.stderr.write(`${app} has no config vars\n`);
      process.stdout.write(
        table(
          ['NAME', 'VALUE', 'UPDATED', 'STATUS'],
          list.map((v) => [v.name, v.value, v.updatedAt, v.status]),
        ),
      );
    });

  config
    .command('unset')
    .description('remove config vars')
    .argument('<names...>', 'the names')
    .option('--no-restart', 'stage the change until the next deploy or restart')
    .option('--json', 'print the result as JSON')
    .action(async (names, opts, cmd) => {
      const app = appOf(cmd);
      const result = await cliContext().client.call(api.unsetConfig, {
        params: { app },
        body: { names, restart: opts.restart },
      });
      reportChange(result, 'unset', opts.json);
    });
}
