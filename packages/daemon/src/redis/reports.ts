import type { EventBus } from '../events/index.js';
import type { MemorySample, PressureEvent } from './monitor.js';

/**
 * Back-pressure as timeline events. The memory is shared, so every app that uses it gets each event in its own
 * timeline (the daemon's, app '', when none does).
 */
export function reportPressure(
  bus: EventBus,
  apps: readonly string[],
  events: readonly PressureEvent[],
  sample: MemorySample,
): void {
  const data = { usedMemory: sample.usedMemory, maxmemory: sample.maxmemory };
  for (const event of events) {
    for (const app of apps.length > 0 ? apps : ['']) {
      if (event.type === 'redis:memory-high') {
        bus.emit({
          type: 'redis:memory-high',
          app,
          message: `Redis memory at ${Math.round(event.ratio * 100)} % of maxmemory`,
          data: { ...data, ratio: event.ratio },
        });
      } else {
        bus.emit({
          type: 'redis:rejecting',
          app,
          message: `Redis refused ${event.rejected} writes for memory (OOM command not allowed)`,
          data: { ...data, rejected: event.rejected, total: sample.rejectedWrites },
        });
      }
    }
  }
}
