import { readFileSync } from 'node:fs';
import { processesInGroup } from '../drivers/index.js';
import { after, type Timer } from '../runtime/timers.js';

/** Consecutive samples over the limit before the watchdog acts: one spike is not a leak. */
export const WATCHDOG_SAMPLES = 3;
const PAGE_BYTES = 4096;

/** Resident memory of every process of the group, from `/proc/<pid>/statm`. */
export function groupRss(pgid: number): number {
  let pages = 0;
  for (const pid of processesInGroup(pgid)) {
    try {
      pages += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1] ?? 0);
    } catch {
      // Ended between the listing and the read.
    }
  }
  return pages * PAGE_BYTES;
}

/**
 * Where no cgroup can be made, memory limits are soft: this samples the group's RSS every `everyMs` and calls
 * `onOver` once it stayed above `limitBytes` for `WATCHDOG_SAMPLES` samples in a row. Returns a stop.
 */
export function startMemoryWatchdog(
  pgid: number,
  limitBytes: number,
  onOver: (rss: number) => void,
  opts: { everyMs?: number; rss?: (pgid: number) => number } = {},
): () => void {
  const everyMs = opts.everyMs ?? 1_000;
  const sample = opts.rss ?? groupRss;
  let over = 0;
  let timer: Timer | null = null;
  const tick = () => {
    let rss: number;
    try {
      rss = sample(pgid);
    } catch {
      // /proc could not be listed (the daemon out of file descriptors): no sample this time, the count holds.
      // Thrown from a timer it would end the daemon, and the watchdog with it.
      timer = after(everyMs, tick, { unref: true });
      return;
    }
    over = rss > limitBytes ? over + 1 : 0;
    if (over >= WATCHDOG_SAMPLES) {
      timer = null;
      onOver(rss);
      return;
    }
    timer = after(everyMs, tick, { unref: true });
  };
  timer = after(everyMs, tick, { unref: true });
  return () => {
    timer?.cancel();
    timer = null;
  };
}
