import type { ProcessDriver } from '../drivers/index.js';
import type { EventBus } from '../events/index.js';
import { killSurvivors } from '../process/stop-group.js';
import * as store from '../store/index.js';

const REAP_GRACE_MS = 3_000;

/**
 * After a daemon crash, the previous incarnation's replicas still run (each in its own group) but their
 * output pipes are gone. Stop every group recorded in the store — only when the recorded start time still
 * matches, so a reused pid is never hit — and clear the pid so the supervisor starts fresh replicas.
 * Returns how many groups were reaped.
 */
export async function reapPrevious(
  db: store.Db,
  driver: ProcessDriver,
  bus: EventBus,
  log: (line: string) => void = () => undefined,
): Promise<number> {
  const targets: { app: string; process: string; idx: number; pid: number }[] = [];
  const consider = (g: {
    app: string;
    process: string;
    idx: number;
    pid: number;
    procStart: string | null;
  }) => {
    const leaderIsOurs = g.procStart !== null && driver.procStartOf(g.pid) === g.procStart;
    // A dead leader can leave its group behind (grandchildren); Linux never hands out a pid that is still
    // some group's id, so members of that group are ours too.
    const orphanedGroup = driver.procStartOf(g.pid) === null && driver.groupMembers(g.pid).length > 0;
    if ((leaderIsOurs || orphanedGroup) && !targets.some((t) => t.pid === g.pid)) {
      driver.signalGroup(g.pid, 'SIGTERM');
      targets.push(g);
    }
  };
  for (const row of store.listReplicas(db)) {
    if (row.pid === null) continue;
    consider({ ...row, pid: row.pid });
    store.upsertReplica(db, { ...row, pid: null, procStart: null, startedAt: null });
  }
  // The second group of a slot caught in a rolling switch.
  for (const group of store.listOverlapGroups(db)) consider(group);
  store.clearOverlapGroups(db);
  if (targets.length > 0)
    log(
      `stopping ${targets.length} process group(s) left by the previous daemon (SIGKILL after ${REAP_GRACE_MS / 1000} s)`,
    );
  await killSurvivors(
    driver,
    targets.map((t) => t.pid),
    REAP_GRACE_MS,
  );
  for (const t of targets) {
    bus.emit({
      type: 'replica:reaped',
      app: t.app,
      process: t.process,
      replica: `${t.process}.${t.idx}`,
      message: `${t.process}.${t.idx} (pid ${t.pid}) left by the previous daemon was stopped`,
      data: { pid: t.pid },
    });
  }
  return targets.length;
}
