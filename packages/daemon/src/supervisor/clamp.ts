import type { EventBus } from '../events/index.js';
import type { AppRuntime } from './app-runtime.js';
import type { ReplicaLimits } from './pure/limits.js';

/**
 * The count a process runs at: what it wants, held at the per-process limit. A count stored before the limit
 * existed (or above a lowered one) would spawn until the machine runs out of descriptors; it is held at the
 * limit, said once (`process:limited`), and `scale` can bring it down.
 */
export function clampToLimit(
  bus: EventBus,
  limits: ReplicaLimits,
  rt: AppRuntime,
  process: string,
  want: number,
): number {
  const limit = limits.perProcess;
  if (want <= limit) {
    rt.clamped.delete(process);
    return want;
  }
  if (!rt.clamped.has(process)) {
    rt.clamped.add(process);
    const app = rt.release.spec.name;
    bus.emit({
      type: 'process:limited',
      app,
      process,
      message: `${process} wants ${want} replicas; running ${limit}, this daemon's limit per process (scale it down, or raise NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS)`,
      data: { wanted: want, limit },
    });
  }
  return limit;
}
