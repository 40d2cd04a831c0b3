import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import * as store from '../store/index.js';
import type { AutoscaleDecision } from '../supervisor/pure/autoscale.js';
import { manifestCount } from '../supervisor/pure/formation.js';
import type { AppsDeps } from './deps.js';

/**
 * Applies an autoscale decision in the app's turn. A decision made against a count that has changed since (a
 * deploy, `stop`, another decision) is dropped: the next period decides again from what is.
 */
export function applyAutoscale(
  deps: AppsDeps,
  app: string,
  process: string,
  decision: AutoscaleDecision,
  bounds: { min: number; max: number },
): Promise<boolean> {
  return deps.queue.run(app, () => {
    const { supervisor } = deps;
    if (!supervisor.hasApp(app)) return Promise.resolve(false);
    const proc = supervisor.processSpecs(app).find((p) => p.name === process);
    const now = supervisor.summary(app).find((p) => p.process === process);
    if (!proc?.autoscale || !now || now.stopped || now.desired !== decision.from)
      return Promise.resolve(false);
    store.setScaled(deps.db, app, process, decision.to, manifestCount(proc));
    deps.bus.emit({
      type: 'process:autoscaled',
      app,
      process,
      message: `${process} autoscaled ${decision.from} → ${decision.to}${decision.bound ? ` (${decision.bound})` : ''}`,
      data: {
        from: decision.from,
        to: decision.to,
        signals: decision.signals.map((s) => ({ ...s })),
        recommendation: decision.recommendation,
        windowMax: decision.windowMax,
        bound: decision.bound,
        min: bounds.min,
        max: bounds.max,
      },
    });
    supervisor.reconcile(app);
    return Promise.resolve(true);
  });
}

/**
 * `scale PROC --min N --max M`: new bounds for an autoscaled process, kept until a deploy changes the manifest's.
 * The count moves into the new bounds at once; the autoscaler takes it from there.
 */
export function setAutoscaleBounds(
  deps: AppsDeps,
  app: string,
  process: string,
  wanted: { min?: number | undefined; max?: number | undefined },
): Promise<{ process: string; min: number; max: number; from: number; to: number }> {
  return deps.queue.run(app, () => {
    const { supervisor } = deps;
    const proc = supervisor.processSpec(app, process);
    if (!proc.autoscale) {
      throw new NightshiftError(
        ErrorCodes.scaleInvalid,
        `${process} has no autoscale in the manifest: --min/--max bound an autoscaled process`,
        `set a count instead: \`nightshift scale ${process}=N\`, or add \`autoscale: { min, max }\` to the manifest`,
      );
    }
    const current = deps.autoscaleBounds.of(app, process, proc.autoscale);
    const min = wanted.min ?? current.min;
    const max = wanted.max ?? current.max;
    const whole = (n: number) => Number.isInteger(n) && n >= 0;
    if (!whole(min) || !whole(max) || max < 1 || min > max) {
      throw new NightshiftError(
        ErrorCodes.scaleInvalid,
        `autoscale bounds min ${min}, max ${max} are invalid`,
        'give whole numbers with 0 ≤ min ≤ max and max ≥ 1, e.g. `nightshift scale emails --min 1 --max 6`',
      );
    }
    deps.autoscaleBounds.set(app, process, proc.autoscale, min, max);
    const from = supervisor.summary(app).find((p) => p.process === process)?.desired ?? 0;
    const to = Math.min(max, Math.max(min, from));
    if (to !== from) store.setScaled(deps.db, app, process, to, manifestCount(proc));
    deps.bus.emit({
      type: 'autoscale:bounds',
      app,
      process,
      message: `${process} autoscale bounds ${min}–${max} (manifest ${proc.autoscale.min}–${proc.autoscale.max})`,
      data: { min, max, manifestMin: proc.autoscale.min, manifestMax: proc.autoscale.max },
    });
    if (to !== from) supervisor.reconcile(app);
    return Promise.resolve({ process, min, max, from, to });
  });
}
