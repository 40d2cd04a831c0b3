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
      // On stderr, so that `--json` output stays an array and scripts still see the condition.
      for (const warning of [...(res.warnings ?? []), ...loopWarnings(res.replicas)])
        process.stderr.write(`warning: ${warning}\n`);
    });
}

export function printPs(res: PsResponse, now = Date.now()): void {
  const rows = res.replicas.map((r: PsEntry) => [
    r.replica,
    stateText(r, now),
    r.health ?? '-',
    r.pid === null ? '-' : String(r.pid),
    percent(r.cpuPercent),
    bytes(r.memoryBytes),
    r.startedAt ? shortDuration(now - Date.parse(r.startedAt)) : '-',
    String(r.restarts),
    lastExit(r),
    r.release ?? '-',
  ]);
  process.stdout.write(
    table(
      ['REPLICA', 'STATE', 'HEALTH', 'PID', 'CPU', 'MEM', 'UPTIME', 'RESTARTS', 'LAST EXIT', 'RELEASE'],
      rows,
    ),
  );
  if (res.replicas.some((r) => r.limits?.enforcement === 'soft')) {
    process.stdout.write(
      'resource limits are soft here: no cgroup could be made, so a watchdog restarts a replica over its memory limit and CPU is not limited\n',
    );
  }
  // `ps --all` lists several apps' processes: name the app where it is not obvious.
  const several = new Set(res.processes.map((p) => p.app)).size > 1;
  for (const summary of res.processes) {
    const p = several ? { ...summary, process: `${summary.app}/${summary.process}` } : summary;
    const start = `nightshift start ${summary.process}${several ? ` --app ${summary.app}` : ''}`;
    if (p.stopped) process.stdout.write(`${p.process}: stopped (start it with \`${start}\`)\n`);
    else if (p.autoscale) process.stdout.write(`${p.process}: ${autoMarker(p.desired, p.autoscale)}\n`);
    else if (p.desired !== p.manifest) {
      process.stdout.write(
        `${p.process}: ${p.desired} replicas by \`scale\` (the manifest says ${p.manifest})\n`,
      );
    }
  }
}

/** `crash-loop (retry in 40s)`: when a waiting replica starts again. */
function stateText(r: PsEntry, now: number): string {
  if (r.nextRetryAt === null) return r.state;
  return `${r.state} (retry in ${shortDuration(Math.max(0, Date.parse(r.nextRetryAt) - now))})`;
}

/**
 * One line per process with replicas in a crash loop or given up: `ps` still exits 0 (it did its job), but a
 * script or a person reading only stderr sees that something cannot stay up.
 */
export function loopWarnings(replicas: readonly PsEntry[]): string[] {
  const out: string[] = [];
  for (const state of ['crash-loop', 'failed'] as const) {
    const names = replicas.filter((r) => r.state === state).map((r) => `${r.app}/${r.replica}`);
    if (names.length === 0) continue;
    out.push(
      state === 'crash-loop'
        ? `crash loop: ${names.join(', ')} keep crashing within seconds of starting (see \`nightshift logs\` and \`events\`)`
        : `failed: ${names.join(', ')} reached restart.max_restarts and stay stopped until \`nightshift start\`, \`restart\` or a deploy`,
    );
  }
  return out;
}

function lastExit(r: PsEntry): string {
  if (!r.lastExit) return '-';
  const how = r.lastExit.signal ? r.lastExit.signal : `code ${r.lastExit.code}`;
  const cause = r.lastExit.cause ? ` (${r.lastExit.cause})` : '';
  return `${how}${cause} ${shortDuration(Date.now() - Date.parse(r.lastExit.at))} ago`;
}

/** `auto 2/1–6`: the autoscaler's current count within its bounds. */
export function autoMarker(desired: number, bounds: { min: number; max: number }): string {
  return `auto ${desired}/${bounds.min}–${bounds.max}`;
}
