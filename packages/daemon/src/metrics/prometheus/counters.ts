import type { EventBus } from '../../events/index.js';

/** Upper bounds of the cron fire-lateness histogram, in seconds. */
export const LATENESS_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 3600] as const;

export interface LatenessHistogram {
  /** Cumulative counts per bound of LATENESS_BUCKETS (the `+Inf` bucket is `count`). */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/**
 * What Prometheus reports from the event spine, counted from the daemon's start in plain maps (keys are label
 * values joined by `\u0000`): the registry that formats them is loaded only when `/metrics` is first asked
 * for, and must still see what happened before.
 */
export class EventCounters {
  /** app, process, cause */
  readonly crashes = new Map<string, number>();
  /** app, process, replica */
  readonly healthFailures = new Map<string, number>();
  /** app, result (succeeded, failed, rollback) */
  readonly deploys = new Map<string, number>();
  /** app */
  readonly drainLosses = new Map<string, number>();
  /** app, job */
  readonly lateness = new Map<string, LatenessHistogram>();
  readonly #stop: () => void;

  constructor(bus: EventBus) {
    this.#stop = bus.subscribe((e) => {
      switch (e.type) {
        case 'replica:crashed': {
          const d = e.data as { cause: string | null; signal: string | null };
          add(this.crashes, [e.app, e.process ?? '', d.cause ?? (d.signal ? 'signal' : 'exit')]);
          break;
        }
        case 'deploy:finished':
          add(this.deploys, [e.app, 'succeeded']);
          break;
        case 'deploy:failed':
          add(this.deploys, [e.app, 'failed']);
          break;
        case 'rollback':
          add(this.deploys, [e.app, 'rollback']);
          break;
        case 'drain:undelivered':
          add(this.drainLosses, [e.app], (e.data as { count: number }).count);
          break;
        case 'cron:slot:fired': {
          const d = e.data as { job: string; lateMs: number };
          observe(this.lateness, [e.app, d.job], Math.max(0, d.lateMs) / 1000);
          break;
        }
        default:
          // Health probes (issue 15, part A) report each restart for failed probes as `replica:unhealthy`.
          if ((e.type as string) === 'replica:unhealthy') {
            add(this.healthFailures, [e.app, e.process ?? '', e.replica ?? '']);
          }
      }
    });
  }

  stop(): void {
    this.#stop();
  }
}

export const SEP = '\u0000';

function add(map: Map<string, number>, labels: readonly string[], n = 1): void {
  const key = labels.join(SEP);
  map.set(key, (map.get(key) ?? 0) + n);
}

function observe(map: Map<string, LatenessHistogram>, labels: readonly string[], seconds: number): void {
  const key = labels.join(SEP);
  let h = map.get(key);
  if (!h) map.set(key, (h = { buckets: LATENESS_BUCKETS.map(() => 0), sum: 0, count: 0 }));
  LATENESS_BUCKETS.forEach((bound, i) => {
    if (seconds <= bound) h.buckets[i]!++;
  });
  h.sum += seconds;
  h.count++;
}
