import type { ProcessDriver } from '../drivers/index.js';
import type { EventBus } from '../events/index.js';
import { killSurvivors } from '../process/stop-group.js';
import type { Clock } from '../runtime/clock.js';
import * as cron from '../store/cron.js';
import type { Db } from '../store/db.js';

const REAP_GRACE_MS = 3_000;

/**
 * At daemon start, before the loop runs: every run the previous incarnation left `running` is marked
 * `interrupted` (never re-run: its slot is consumed, the cursor already passed it), and its process group, if it
 * still lives, is stopped — only when the recorded start time matches, so a reused pid is never hit (the same
 * guard as the replica reaper). Runs left `queued` never started: `cancelled`. Returns how many runs were ended.
 */
export async function recoverRuns(
  db: Db,
  driver: ProcessDriver,
  bus: EventBus,
  clock: Clock,
): Promise<number> {
  const groups: number[] = [];
  const rows = cron.listActiveRuns(db);
  for (const row of rows) {
    if (row.pid !== null) {
      const leaderIsOurs = row.procStart !== null && driver.procStartOf(row.pid) === row.procStart;
      // A dead leader can leave grandchildren in its group; Linux does not reuse a pid that is still a group id.
      const orphanedGroup = driver.procStartOf(row.pid) === null && driver.groupMembers(row.pid).length > 0;
      if (leaderIsOurs || orphanedGroup) {
        driver.signalGroup(row.pid, 'SIGTERM');
        groups.push(row.pid);
      }
    }
    const interrupted = row.status === 'running';
    const reason = interrupted
      ? 'the daemon stopped or died while it ran; not re-run'
      : 'the daemon stopped before it started';
    cron.finishRun(db, row.id, {
      status: interrupted ? 'interrupted' : 'cancelled',
      reason,
      exitCode: null,
      signal: null,
      finishedAt: clock.now(),
    });
    const ids = { job: row.job, runId: row.id };
    bus.emit(
      interrupted
        ? {
            type: 'cron:run:interrupted',
            app: row.app,
            message: `cron ${row.job} run ${row.id} interrupted: ${reason}`,
            data: { ...ids, reason },
          }
        : {
            type: 'cron:run:cancelled',
            app: row.app,
            message: `cron ${row.job} run ${row.id} cancelled: ${reason}`,
            data: { ...ids, reason },
          },
    );
  }
  await killSurvivors(driver, groups, REAP_GRACE_MS);
  return rows.length;
}
