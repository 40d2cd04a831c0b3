import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import type { PsEntry, PsResponse } from '@nightshift/protocol';
import { appOf, cliContext } from '../lib/context.js';
import { bytes, percent, shortDuration, table } from '../lib/format.js';
import { printJson } from '../output.js';

export function registerPs(program: Command): void {
  program
    .command('ps')
    .description("list the app's replicas: state, pid, CPU, memory, uptime, restarts, last exit, release")
    .option('--json', 'print an array of replicas as JSON')
    .option('--all', 'every app on this daemon')
    .action(async (opts, cmd) => {
      const ctx = cliContext();

      const res = opts.all
        ? await ctx.client.call(api.psAll, {})
        : await ctx.client.call(api.ps, { params: { app: appOf(cmd) } });
      if (opts.json) printJson(res.replicas);
      else printPs(res);
    });
}

export function printPs(res: PsResponse, now = Date.now()): void {
  const rows = res.replicas.map((r: PsEntry) => [
    r.replica,
    r.state,
    r.pid === null ? '-' : String(r.pid),
    percent(r.cpuPercent),
    bytes(r.memoryBytes),
    r.startedAt ? shortDuration(now - Date.parse(r.startedAt)) : '-',
    String(r.restarts),
    lastExit(r),
    r.release ?? '-',
  ]);
  process.stdout.write(
    table(['REPLICA', 'STATE', 'PID', 'CPU', 'MEM', 'UPTIME', 'RESTARTS', 'LAST EXIT', 'RELEASE'], rows),
  );
  for (const p of res.processes) {
    if (p.stopped)
      process.stdout.write(`${p.process}: stopped (start it with \`nightshift start ${p.process}\`)\n`);
    else if (p.desired !== p.manifest) {
      process.stdout.write(
        `${p.process}: ${p.desired} replicas by \`scale\` (the manifest says ${p.manifest})\n`,
      );
    }
  }
}

function lastExit(r: PsEntry): string {
  if (!r.lastExit) return '-';
  const how = r.lastExit.signal ? r.lastExit.signal : `code ${r.lastExit.code}`;
  return `${how} ${shortDuration(Date.now() - Date.parse(r.lastExit.at))} ago`;
}
