import { api, type UsageAmounts, type UsageReport } from '@nightshift/protocol';
import { type Command, Option } from '@commander-js/extra-typings';
import { appOf, cliContext } from '../lib/context.js';
import { table } from '../lib/format.js';
import { parseTimeArg } from '../lib/time.js';
import { printJson } from '../output.js';

export function registerUsage(program: Command): void {
  program
    .command('usage')
    .description(
      'billed usage: replica-, vCPU- and GiB-minutes of replicas and cron runs (each period rounded up to whole minutes, 60 s minimum; docs/usage.md)',
    )
    .option('--since <time>', 'start of the window: 30d, 12h or an ISO-8601 time (default: 30 days ago)')
    .option(
      '--until <time>',
      'end of the window: a duration back from now or an ISO-8601 time (default: now)',
    )
    .addOption(
      new Option('--by <grouping>', 'one line per process (or cron job), UTC day, or region')
        .choices(['process', 'day', 'region'] as const)
        .default('process' as const),
    )
    .option('--periods', 'also list every period counted (with --json: a `periods` array)')
    .option(
      '--json',
      'print the report as JSON: { since, until, by, defaults, prices, lines, totals, periods? }',
    )
    .action(async (opts, cmd) => {
      const ctx = cliContext();
      const now = Date.now();
      const res = await ctx.client.call(api.usage, {
        params: { app: appOf(cmd) },
        query: {
          by: opts.by,
          ...(opts.since === undefined ? {} : { since: String(parseTimeArg(opts.since, '--since', now)) }),
          ...(opts.until === undefined ? {} : { until: String(parseTimeArg(opts.until, '--until', now)) }),
          ...(opts.periods ? { periods: '1' } : {}),
        },
      });
      if (opts.json) printJson(res);
      else printReport(res);
    });
}

function printReport(res: UsageReport): void {
  const priced = res.prices !== null;
  const cells = (a: UsageAmounts) => [
    String(a.periods),
    String(a.replicaMinutes),
    num(a.vcpuMinutes),
    num(a.gibMinutes),
    ...(priced ? [num(a.cost ?? 0)] : []),
  ];
  const head = [
    res.by.toUpperCase(),
    'PERIODS',
    'REPLICA-MIN',
    'VCPU-MIN',
    'GIB-MIN',
    ...(priced ? ['COST'] : []),
  ];
  const rows = [...res.lines.map((l) => [l.key, ...cells(l)]), ['TOTAL', ...cells(res.totals)]];
  process.stdout.write(table(head, rows));
  if (res.periods) {
    process.stdout.write('\n');
    process.stdout.write(
      table(
        ['STARTED', 'ENDED', 'UNIT', 'PROCESS', 'MIN', 'VCPU', 'MEM', 'END'],
        res.periods.map((p) => [
          p.startedAt,
          p.endedAt ?? 'running',
          p.unit,
          p.process,
          String(p.replicaMinutes),
          num(p.cpu),
          `${num(p.memoryBytes / 1024 ** 3)}Gi`,
          p.endReason ?? '',
        ]),
      ),
    );
  }
  const d = res.defaults;
  process.stderr.write(
    `${res.since} → ${res.until}; unset resources count as ${d.cpu} vCPU and ${num(d.memoryBytes / 1024 ** 3)} GiB\n`,
  );
}

/** Up to four decimals, no trailing zeros: minutes are whole, weighted amounts rarely are. */
function num(n: number): string {
  return String(Math.round(n * 10_000) / 10_000);
}
