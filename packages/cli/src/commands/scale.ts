import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { ErrorCodes, NightshiftError, parseScaleArg, type ScaleRequest } from '@nightshift/protocol';
import { appOf, cliContext } from '../lib/context.js';
import { printJson } from '../output.js';

export function registerScale(program: Command): void {
  program
    .command('scale')
    .description(
      'set replica counts: `scale emails=4 events=0`, `scale emails+2`, `scale emails --replicas 4`',
    )
    .argument('<changes...>', 'PROCESS=N, PROCESS+N, PROCESS-N, or a process name with --replicas')
    .option('--replicas <n>', 'the count for a single named process')
    .option('--min <n>', 'an autoscaled process: its fewest replicas (until a deploy changes the manifest)')
    .option('--max <n>', 'an autoscaled process: its most replicas (until a deploy changes the manifest)')
    .option('--json', 'print the changes as JSON')
    .action(async (args, opts, cmd) => {
      const app = appOf(cmd);
      if (opts.min !== undefined || opts.max !== undefined) {
        const bound = (flag: string, v: string | undefined) => {
          if (v === undefined) return undefined;
          if (!/^\d+$/.test(v)) {
            throw new NightshiftError(
              ErrorCodes.usage,
              `${flag} takes a whole number`,
              'e.g. `--min 1 --max 6`',
            );
          }
          return Number(v);
        };
        if (args.length !== 1 || opts.replicas !== undefined) {
          throw new NightshiftError(
            ErrorCodes.usage,
            '--min/--max take one process name and no count',
            'e.g. `nightshift scale emails --min 1 --max 6`',
          );
        }
        const res = await cliContext().client.call(api.autoscaleBounds, {
          params: { app },
          body: { process: args[0]!, min: bound('--min', opts.min), max: bound('--max', opts.max) },
        });
        if (opts.json) return printJson(res);
        process.stdout.write(`${res.process}: autoscale ${res.min}–${res.max}, ${res.from} → ${res.to}\n`);
        return;
      }
      let changes: ScaleRequest['changes'];
      if (opts.replicas !== undefined) {
        if (args.length !== 1 || !/^\d+$/.test(opts.replicas)) {
          throw new NightshiftError(
            ErrorCodes.usage,
            '--replicas takes one process name and a whole number',
            'e.g. `nightshift scale emails --replicas 4`',
          );
        }
        changes = [parseScaleArg(`${args[0]}=${opts.replicas}`)];
      } else {
        changes = args.map(parseScaleArg);
      }
      const result = await cliContext().client.call(api.scale, {
        params: { app },
        body: { changes: [...changes] },
      });
      if (opts.json) printJson(result);
      else for (const r of result) process.stdout.write(`${r.process}: ${r.from} → ${r.to}\n`);
    });
}
