import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { appOf, cliContext } from '../lib/context.js';
import { printJson } from '../output.js';
import { guardNote } from './guard-wait.js';

export function registerRollback(program: Command): void {
  program
    .command('rollback')
    .description(
      'switch back to an earlier release (default: the previous good one), rolling, without a rebuild',
    )
    .argument('[release]', 'the release, e.g. v3')
    .option('--json', 'print the result as JSON')
    .action(async (release, opts, cmd) => {
      const app = appOf(cmd);
      const result = await cliContext().client.call(api.rollback, {
        params: { app },
        body: release ? { release } : {},
      });
      if (opts.json) printJson(result);
      else process.stderr.write(`${app}: ${result.previous} → ${result.release} (live)\n`);
      process.stderr.write(`${guardNote(result.release, result.guard)}\n`);
    });
}
