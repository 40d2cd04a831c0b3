import { api, type AutoscaleProcessStatus } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { appOf, cliContext } from '../lib/context.js';
import { printJson } from '../output.js';
import { autoMarker } from './ps.js';

export function registerAutoscale(program: Command): void {
  const autoscale = program.command('autoscale').description('what the autoscaler decided and why');
  autoscale
    .command('status')
    .description('the last decision and the current signals of each autoscaled process (or of PROC)')
    .argument('[proc]', 'one process')
    .option('--json', 'print as JSON')
    .action(async (proc, opts, cmd) => {
      const res = await cliContext().client.call(api.autoscaleStatus, {
        params: { app: appOf(cmd) },
        query: proc === undefined ? {} : { process: proc },
      });
      if (opts.json) return printJson(res);
      if (res.processes.length === 0) {
        process.stdout.write(`${res.app} has no autoscaled process (add \`autoscale:\` to a worker)\n`);
        return;
      }
      for (const p of res.processes) process.stdout.write(formatProcess(p));
    });
}

function formatProcess(p: AutoscaleProcessStatus): string {
  const lines = [
    `${p.process}: ${autoMarker(p.desired, p)} (${p.running} running)${p.boundsOverridden ? ', bounds set by `scale --min/--max`' : ''}`,
  ];
  if (p.failing)
    lines.push(`  ${p.failing.signal} unreadable since ${p.failing.since}: ${p.failing.error} (count held)`);
  const d = p.last;
  if (!d) lines.push('  no decision yet (one comes every period)');
  else {
    for (const s of d.signals) {
      const value =
        s.value === null ? '?' : s.signal === 'queue' ? `${s.value} waiting` : `${s.value.toFixed(1)}%`;
      const target = s.signal === 'queue' ? `${s.target}/replica` : `${s.target}%`;
      lines.push(`  ${s.signal.padEnd(6)} ${value} (target ${target}) → ${s.recommendation ?? '-'}`);
    }
    const bound = d.bound ? `, limited by ${d.bound}` : '';
    lines.push(
      `  last decision ${d.at}: ${d.from} → ${d.to} (recommended ${d.recommendation}, window max ${d.windowMax}${bound})`,
    );
  }
  return lines.join('\n') + '\n';
}
