import { ErrorCodes, NightshiftError, type ScaleRequest } from '@nightshift/protocol';
import * as store from '../store/index.js';
import { applyScale, manifestCount } from '../supervisor/pure/formation.js';
import { checkReplicaLimits } from '../supervisor/pure/limits.js';
import { portOverlap } from '../supervisor/pure/port-ranges.js';
import type { AppsDeps } from './deps.js';

/** What one process's count became. */
export interface ScaleResult {
  readonly process: string;
  readonly from: number;
  readonly to: number;
}

/**
 * Sets desired counts (`emails=4`, `emails+2`) in the app's turn: every change is checked (known process,
 * whole count, one local web replica, the replica limits) before any is stored, then the formation is
 * reconciled. A stored count survives restarts and deploys until the manifest's own count changes.
 */
export function scale(
  deps: AppsDeps,
  app: string,
  requested: ScaleRequest['changes'],
): Promise<ScaleResult[]> {
  const { supervisor } = deps;
  return deps.queue.run(app, () => {
    const summary = new Map(supervisor.summary(app).map((p) => [p.process, p]));
    const changes = requested.map((ch) => {
      const proc = supervisor.processSpec(app, ch.process);
      if (proc.autoscale) {
        const { min, max } = deps.autoscaleBounds.of(app, proc.name, proc.autoscale);
        throw new NightshiftError(
          ErrorCodes.scaleAutoscaled,
          `${proc.name} is autoscaled (${min}–${max} replicas): the autoscaler sets its count`,
          `change its bounds instead: \`nightshift scale ${proc.name} --min N --max M\` (until the next deploy changes the manifest's)`,
        );
      }
      if (!Number.isInteger(ch.count) || ch.count < 0) {
        throw new NightshiftError(
          ErrorCodes.scaleInvalid,
          `scale count for ${ch.process} must be a whole number ≥ 0`,
          'e.g. `nightshift scale emails=4`',
        );
      }
      const from = summary.get(ch.process)?.desired ?? 0;
      const to = applyScale(from, ch.op, ch.count);
      if (proc.kind === 'web' && to > 1) {
        throw new NightshiftError(
          ErrorCodes.scaleInvalid,
          'the local driver runs one web replica',
          'more web replicas are possible in the Kubernetes render (`nightshift render kubernetes`)',
        );
      }
      return { proc, from, to };
    });
    const after = new Map([...summary.values()].map((p) => [p.process, p.desired]));
    for (const { proc, to } of changes) after.set(proc.name, to);
    const overlap = portOverlap(supervisor.processSpecs(app), after);
    if (overlap) {
      throw new NightshiftError(
        ErrorCodes.portOverlap,
        `cannot scale: ${overlap}`,
        'replica N listens on port + N − 1: scale to fewer, or move a port in the manifest past the other range',
      );
    }
    checkReplicaLimits(
      app,
      [...after].map(([process, count]) => ({ process, count })),
      supervisor.desiredElsewhere(app),
      deps.limits,
      'scale',
    );
    for (const { proc, from, to } of changes) {
      store.setScaled(deps.db, app, proc.name, to, manifestCount(proc));
      deps.bus.emit({
        type: 'process:scaled',
        app,
        process: proc.name,
        message: `${proc.name} scaled ${from} → ${to}`,
        data: { from, to },
      });
    }
    supervisor.reconcile(app);
    return Promise.resolve(changes.map(({ proc, from, to }) => ({ process: proc.name, from, to })));
  });
}

/** `stop PROC` / `start PROC`: the process keeps its count but runs none while stopped (survives restarts). */
export async function setStopped(
  deps: AppsDeps,
  app: string,
  process: string,
  stopped: boolean,
): Promise<void> {
  await deps.queue.run(app, () => {
    deps.supervisor.processSpec(app, process);
    store.setStopped(deps.db, app, process, stopped);
    deps.supervisor.reconcile(app);
    if (!stopped) deps.supervisor.revive(app, process);
    return Promise.resolve();
  });
  deps.bus.emit({
    type: stopped ? 'process:stopped' : 'process:started',
    app,
    process,
    message: `${process} ${stopped ? 'stopped' : 'started'}`,
    data: {},
  });
}
