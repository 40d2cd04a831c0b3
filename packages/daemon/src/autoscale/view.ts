import type { AutoscaleProcessStatus, AutoscaleStatus } from '@nightshift/protocol';
import type { ProcessAutoscale } from './autoscaler.js';

/** The API's view of the autoscaler's state: times as ISO strings, counts from the supervisor. */
export function statusView(
  app: string,
  periodMs: number,
  processes: readonly ProcessAutoscale[],
  counts: (process: string) => { desired: number; running: number },
): AutoscaleStatus {
  return {
    app,
    periodMs,
    processes: processes.map((p): AutoscaleProcessStatus => {
      const d = p.decision;
      return {
        process: p.process,
        ...counts(p.process),
        min: p.bounds.min,
        max: p.bounds.max,
        boundsOverridden: p.bounds.overridden,
        last:
          d && p.decidedAt !== null
            ? {
                at: new Date(p.decidedAt).toISOString(),
                from: d.from,
                to: d.to,
                recommendation: d.recommendation,
                windowMax: d.windowMax,
                bound: d.bound,
                signals: d.signals.map((s) => ({ ...s })),
              }
            : null,
        failing: p.failing && { ...p.failing, since: new Date(p.failing.since).toISOString() },
      };
    }),
  };
}
