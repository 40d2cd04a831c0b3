import { api, type PsEntry } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { appOf, cliContext } from '../lib/context.js';
import { bytes, percent, table } from '../lib/format.js';
import { CliError } from '../output.js';

/** The daemon samples every 5 s: refreshing faster would show the same numbers. */
const DEFAULT_REFRESH_S = 5;

export function registerTop(program: Command): void {
  program
    .command('top')
    .description('CPU, memory, limits, restarts and health of every replica, refreshed in place until Ctrl-C')
    .option('--all', 'every app on this daemon')
    .option('-d, --delay <seconds>', 'seconds between refreshes', String(DEFAULT_REFRESH_S))
    .option('-n, --iterations <count>', 'stop after this many refreshes (default: until Ctrl-C)')
    .action(async (opts, cmd) => {
      const ctx = cliContext();
      const delay = Number(opts.delay);
      const iterations = opts.iterations === undefined ? Infinity : Number(opts.iterations);
      if (!(delay > 0) || !(iterations >= 1)) {
        throw new CliError(
          'NS_USAGE',
          'top: --delay and --iterations take positive numbers',
          'e.g. nightshift top -d 2 -n 10',
          2,
        );
      }
      const app = opts.all ? null : appOf(cmd);
      // Clearing is for a terminal; piped, each frame follows the last so the output stays readable.
      const tty = process.stdout.isTTY;
      let stop = false;
      process.once('SIGINT', () => (stop = true));
      for (let i = 0; i < iterations && !stop; i++) {
        const res =
          app === null
            ? await ctx.client.call(api.psAll, {})
            : await ctx.client.call(api.ps, { params: { app } });
        const frame = `${new Date().toISOString()}  ${app ?? 'all apps'}\n${topTable(res.replicas)}`;
        process.stdout.write(tty ? `\x1b[H\x1b[2J${frame}` : `${frame}\n`);
        if (i + 1 < iterations) await sleepUnless(delay * 1000, () => stop);
      }
    });
}

/** One frame: a line per replica. */
export function topTable(replicas: readonly PsEntry[]): string {
  const rows = replicas.map((r) => [
    `${r.app}/${r.replica}`,
    r.state,
    percent(r.cpuPercent),
    r.limits?.cpu == null ? '-' : String(r.limits.cpu),
    bytes(r.memoryBytes),
    bytes(r.limits?.memoryBytes ?? null),
    String(r.restarts),
    r.health ?? '-',
  ]);
  return table(['REPLICA', 'STATE', 'CPU', 'CPU LIMIT', 'MEM', 'MEM LIMIT', 'RESTARTS', 'HEALTH'], rows);
}

function sleepUnless(ms: number, stop: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (stop() || Date.now() >= end) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    const end = Date.now() + ms;
  });
}
