import { api, type MetricsResponse } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { appOf, cliContext } from '../lib/context.js';
import { bytes, percent, table } from '../lib/format.js';
import { parseTimeArg } from '../lib/time.js';
import { printJson } from '../output.js';

export function registerMetrics(program: Command): void {
  program
    .command('metrics')
    .description(
      "a process's or replica's CPU and memory over time (5 s points for 1 h, 1 min for 1 d, 10 min for 30 d)",
    )
    .argument('<target>', 'a process (`emails`) or one replica (`emails.2`)')
    .option('--since <time>', 'how far back: 10m, 6h, 7d or an ISO-8601 time', '1h')
    .option('--step <seconds>', 'seconds between points (at least the resolution kept for that age)')
    .option('--json', 'print the answer as JSON: { step, since, series: [{ process, replica, points }] }')
    .action(async (target, opts, cmd) => {
      const ctx = cliContext();
      const dot = target.lastIndexOf('.');
      const replica = dot > 0 && /^\d+$/.test(target.slice(dot + 1)) ? target : undefined;
      const res = await ctx.client.call(api.metrics, {
        params: { app: appOf(cmd) },
        query: {
          process: replica === undefined ? target : target.slice(0, dot),
          ...(replica === undefined ? {} : { replica }),
          since: String(parseTimeArg(opts.since, '--since')),
          ...(opts.step === undefined ? {} : { step: opts.step }),
        },
      });
      if (opts.json) printJson(res);
      else printSeries(res);
    });
}

export function printSeries(res: MetricsResponse): void {
  if (res.series.length === 0) {
    process.stderr.write(`no samples since ${res.since} (the daemon samples running replicas every 5 s)\n`);
    return;
  }
  const rows = res.series.flatMap((s) =>
    s.points.map((p) => [
      p.time,
      s.replica,
      percent(p.cpuPercent),
      bytes(p.memoryBytes),
      bytes(p.memoryMaxBytes),
      String(p.processes),
    ]),
  );
  process.stdout.write(table(['TIME', 'REPLICA', 'CPU', 'MEM', 'MEM MAX', 'PROCS'], rows));
}
