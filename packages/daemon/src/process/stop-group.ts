import type { ProcessDriver } from '../drivers/index.js';
import { after, type Timer } from '../runtime/timers.js';

/**
 * Stopping a process group: SIGTERM to the group → a grace → SIGKILL to what is left → wait until no process
 * of the group lives. Every process the daemon starts runs in its own group (DESIGN §4), so `sh -c` wrappers
 * and grandchildren go with their leader. Replicas, cron runs, the reaper and run recovery all stop groups
 * through these pieces. (A replica's SIGTERM, grace and SIGKILL are decided by its pure lifecycle, which only
 * asks the shell for signals and timers; it shares the waiting part.)
 */

/** How often a group is checked for survivors. */
export const GROUP_POLL_MS = 25;

/**
 * SIGTERM to the group now, SIGKILL after `graceMs` unless the returned timer is cancelled. The grace may be
 * longer than a Node timer holds (2^31−1 ms), hence `after`.
 */
export function terminateGroup(driver: ProcessDriver, pgid: number, graceMs: number): Timer {
  driver.signalGroup(pgid, 'SIGTERM');
  return after(graceMs, () => driver.signalGroup(pgid, 'SIGKILL'));
}

/** Calls `onGone` once no process of the group lives (checked now, then every poll). Returns a cancel. */
export function watchGroupGone(driver: ProcessDriver, pgid: number | null, onGone: () => void): () => void {
  let watch: NodeJS.Timeout | null = null;
  const check = () => {
    if (pgid === null || !driver.groupAlive(pgid)) {
      if (watch) clearInterval(watch);
      watch = null;
      onGone();
    }
  };
  watch = setInterval(check, GROUP_POLL_MS);
  check();
  return () => {
    if (watch) clearInterval(watch);
    watch = null;
  };
}

/** Settles once no process of the group lives (a SIGKILL must already be on its way, or this may wait long). */
export async function groupGone(driver: ProcessDriver, pgid: number): Promise<void> {
  while (driver.groupAlive(pgid)) await delay(GROUP_POLL_MS);
}

/**
 * Stops groups that have nobody waiting on their leader (left by a previous daemon): SIGTERM was sent to each
 * already; they get `graceMs` (a few seconds: the daemon is starting) to leave, the rest gets SIGKILL.
 */
export async function killSurvivors(
  driver: ProcessDriver,
  pgids: readonly number[],
  graceMs: number,
): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (pgids.some((g) => driver.groupAlive(g)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, GROUP_POLL_MS));
  }
  for (const g of pgids) if (driver.groupAlive(g)) driver.signalGroup(g, 'SIGKILL');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
