import type { EventBus } from '../events/index.js';

/** What the metrics issue exports from cron (Prometheus names in comments), kept per `app/job`. */
export interface CronCounters {
  /** cron_runs_total{app,job,status} */
  readonly runsTotal: ReadonlyMap<string, number>;
  /** cron_slots_coalesced_total{app,job} */
  readonly slotsCoalescedTotal: ReadonlyMap<string, number>;
  /** cron_slots_skipped_total{app,job,reason} */
  readonly slotsSkippedTotal: ReadonlyMap<string, number>;
  /** The last `LATENESS_SAMPLES` fire latenesses in ms (claim − slot), for cron_slot_lateness_seconds. */
  readonly lateness: readonly number[];
}

/** How many recent fire latenesses the hook keeps. */
export const LATENESS_SAMPLES = 1024;

/**
 * The scheduler's metrics hook: a bus subscriber that counts runs by status, coalesced and skipped slots and
 * keeps recent fire lateness. The metrics exporter reads `counters()`; nothing here depends on it.
 */
export function countCronEvents(bus: EventBus): { counters(): CronCounters; stop(): void } {
  const runsTotal = new Map<string, number>();
  const slotsCoalescedTotal = new Map<string, number>();
  const slotsSkippedTotal = new Map<string, number>();
  const lateness: number[] = [];
  const add = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);
  const stop = bus.subscribe((e) => {
    if (e.type === 'cron:run:finished') {
      const d = e.data as { job: string; status: string };
      add(runsTotal, `${e.app}/${d.job}/${d.status}`, 1);
    } else if (e.type === 'cron:slot:fired') {
      const d = e.data as { job: string; coalesced: number; lateMs: number };
      add(slotsCoalescedTotal, `${e.app}/${d.job}`, d.coalesced);
      lateness.push(d.lateMs);
      if (lateness.length > LATENESS_SAMPLES) lateness.shift();
    } else if (e.type === 'cron:slot:skipped') {
      const d = e.data as { job: string; reason: string; coalesced: number };
      add(slotsSkippedTotal, `${e.app}/${d.job}/${d.reason}`, 1);
      add(slotsCoalescedTotal, `${e.app}/${d.job}`, d.coalesced);
    }
  });
  return { counters: () => ({ runsTotal, slotsCoalescedTotal, slotsSkippedTotal, lateness }), stop };
}
