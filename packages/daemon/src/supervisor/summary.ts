import type { ProcessSpec } from '@nightshift/manifest';
import { ErrorCodes, NightshiftError, type ProcessSummary } from '@nightshift/protocol';
import * as store from '../store/index.js';
import type { AppRuntime } from './app-runtime.js';
import { processesOf, processOf } from './processes.js';
import { desiredCount, manifestCount } from './pure/formation.js';

/** Desired vs manifest counts of every process of a running app. */
export function summaryOf(db: store.Db, app: string, rt: AppRuntime): ProcessSummary[] {
  const formation = new Map(store.listFormation(db, app).map((f) => [f.process, f]));
  return processesOf(rt.release.spec).map((proc) => ({
    process: proc.name,
    desired: desiredCount(proc, formation.get(proc.name)),
    manifest: manifestCount(proc),
    stopped: formation.get(proc.name)?.stopped ?? false,
  }));
}

/** The live release's spec of one process, or `NS_PROCESS_NOT_FOUND` naming the processes it has. */
export function processSpecOf(app: string, rt: AppRuntime, process: string): ProcessSpec {
  const proc = processOf(rt.release.spec, process);
  if (!proc) {
    const known = processesOf(rt.release.spec).map((p) => p.name);
    throw new NightshiftError(
      ErrorCodes.processNotFound,
      `app "${app}" has no process "${process}"`,
      known.length ? `its processes are: ${known.join(', ')}` : 'its manifest declares no web or workers',
    );
  }
  return proc;
}

/** How many replicas of `process` the app wants (0 for a process its live release does not have). */
export function desiredOf(db: store.Db, rt: AppRuntime, process: string): number {
  const proc = processOf(rt.release.spec, process);
  if (!proc) return 0;
  return desiredCount(
    proc,
    store.listFormation(db, rt.release.spec.name).find((f) => f.process === process),
  );
}
