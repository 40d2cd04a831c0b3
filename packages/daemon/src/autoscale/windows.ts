import type { Clock } from '../runtime/clock.js';
import * as store from '../store/index.js';
import type { Recommendation } from '../supervisor/pure/autoscale.js';

/** How stale a stored window may get while nothing changes: a kill -9 loses at most this much of it. */
const SAVE_EVERY_MS = 60_000;

/**
 * The autoscaler's stabilisation windows, stored so that a daemon restart does not forget a recent high
 * recommendation and scale down early. Recommendations carry monotonic times, which mean nothing to the next
 * daemon: they are stored as wall-clock times and turned back on restore. A window is written when a decision
 * changes the count, else at most once a minute, and all of them when the loop stops.
 */
export class AutoscaleWindows {
  #db: store.Db;
  #clock: Clock;
  /** Windows of the previous daemon not yet claimed by a process of this one (wall-clock times). */
  #stored = new Map<string, store.StoredRecommendation[]>();
  /** Monotonic time of each window's last write. */
  #savedAt = new Map<string, number>();
  /** Windows kept since the last flush: a period writes them in one transaction (200 processes: one commit). */
  #pending = new Map<string, { app: string; process: string; wall: store.StoredRecommendation[] }>();

  constructor(db: store.Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
    for (const w of store.listAutoscaleWindows(db)) this.#stored.set(`${w.app}/${w.process}`, w.history);
  }

  /** The window a previous daemon left for this process, on this daemon's monotonic clock (once). */
  restore(app: string, process: string): Recommendation[] {
    const key = `${app}/${process}`;
    const stored = this.#stored.get(key) ?? [];
    this.#stored.delete(key);
    const offset = this.#offset();
    return stored.map((r) => ({ at: r.at - offset, replicas: r.replicas }));
  }

  /**
   * After a period's decision: keeps the window for the next `flush` when the count changed, `force`d, or a
   * minute went by.
   */
  keep(app: string, process: string, history: readonly Recommendation[], force: boolean): void {
    const key = `${app}/${process}`;
    const now = this.#clock.monotonic();
    const last = this.#savedAt.get(key);
    if (!force && last !== undefined && now - last < SAVE_EVERY_MS) return;
    const offset = this.#offset();
    const wall = history.map((r) => ({ at: r.at + offset, replicas: r.replicas }));
    this.#pending.set(key, { app, process, wall });
    this.#savedAt.set(key, now);
  }

  /** Writes what `keep` kept, in one transaction. */
  flush(): void {
    if (this.#pending.size === 0) return;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    store.transaction(this.#db, () => {
      for (const w of pending) store.saveAutoscaleWindow(this.#db, w.app, w.process, w.wall);
    });
  }

  forgetApp(app: string): void {
    store.deleteAutoscaleWindows(this.#db, app);
    for (const map of [this.#stored, this.#savedAt, this.#pending]) {
      for (const key of map.keys()) if (key.startsWith(`${app}/`)) map.delete(key);
    }
  }

  /** Wall minus monotonic, now: adds to a monotonic time to give the wall-clock time. */
  #offset(): number {
    return this.#clock.now() - this.#clock.monotonic();
  }
}
