import * as store from '../store/index.js';
import type { AppRuntime } from './app-runtime.js';
import type { ReplicaRunner } from './replica.js';

/**
 * Writes a replica's row after each change of its state. Only the slot's current runner owns the row: during a
 * rolling switch the old and the new replica of one slot both live for a moment, and the row must keep
 * pointing at the one that stays. The other one's group is recorded apart, so that a daemon killed in that
 * moment leaves no orphan (reap.ts).
 */
export function persistReplica(db: store.Db, rt: AppRuntime | undefined, r: ReplicaRunner): void {
  if (!rt || !(rt.runners.get(r.process) ?? []).includes(r)) {
    if (r.pid !== null && r.procStart !== null) {
      store.setOverlapGroup(db, {
        app: r.app,
        process: r.process,
        idx: r.idx,
        pid: r.pid,
        procStart: r.procStart,
      });
    } else {
      store.clearOverlapGroup(db, r.app, r.process, r.idx);
    }
    return;
  }
  const s = r.state;
  store.upsertReplica(db, {
    app: r.app,
    process: r.process,
    idx: r.idx,
    pid: r.pid,
    procStart: r.procStart,
    startedAt: s.startedAt,
    restarts: s.restarts,
    lastExitCode: s.lastExit?.code ?? null,
    lastExitSignal: s.lastExit?.signal ?? null,
    lastExitAt: s.lastExit?.at ?? null,
    release: r.release,
  });
}
