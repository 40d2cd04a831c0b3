import type { EventBus } from '../events/index.js';
import type { EventType } from '../events/types.js';

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => unknown;

export interface CompactorOptions {
  /** How often a busy daemon compacts at most (default 10 s). */
  readonly intervalMs?: number;
  /** How long no event must have come before a compaction runs (default 20 ms). */
  readonly quietMs?: number;
  /** How long a wanted compaction waits for a quiet moment at most (default 1 s). */
  readonly maxWaitMs?: number;
  /** The collector; the daemon runs with --expose-gc. Without one the compactor does nothing. */
  readonly gc?: Gc | undefined;
  /**
   * Work that emits no event but leaves garbage behind (scraping replicas): asked at each interval, true when
   * some happened since the last ask.
   */
  readonly worked?: () => boolean;
  /**
   * How often such work alone compacts at most (default 60 s). Scraping is steady and its garbage small: a
   * compaction every 10 s for it cost more CPU than the scrapes themselves (docs/architecture.md).
   */
  readonly workedIntervalMs?: number;
}

/** Bursts after which memory is given back soon rather than at the next interval. */
const BURSTS: ReadonlySet<EventType> = new Set([
  'deploy:finished',
  'deploy:failed',
  'rollback',
  'app:destroyed',
]);

/**
 * Gives memory back after bursts of work. V8 keeps the heap it grew to and glibc the chunks it freed, so after a
 * deploy of 50 replicas, or under a crash loop, the daemon's RSS grew and stayed there while its live
 * heap did not change (docs/architecture.md). A full collection in V8's memory-reducing mode
 * compacts and returns the pages. It blocks the loop for tens of milliseconds, so it waits for a quiet moment (no event for
 * `quietMs`, when restarts and timers are least likely due) — for `maxWaitMs` at most — and
 * runs once a burst ends and at most once per interval while events keep coming. An idle daemon is never woken.
 */
export function startCompactor(bus: EventBus, options: CompactorOptions = {}): () => void {
  const gc = options.gc;
  if (!gc) return () => undefined;
  const intervalMs = options.intervalMs ?? 10_000;
  const quietMs = options.quietMs ?? 20;
  const maxWaitMs = options.maxWaitMs ?? 1_000;
  const workedIntervalMs = options.workedIntervalMs ?? 60_000;
  let dirty = false;
  let worked = false;
  let lastCompaction = Date.now();
  let lastEvent = 0;
  let wantedSince: number | null = null;
  let check: NodeJS.Timeout | null = null;

  const tryCompact = () => {
    check = null;
    if (wantedSince === null) return;
    const now = Date.now();
    if (now - lastEvent < quietMs && now - wantedSince < maxWaitMs) {
      check = setTimeout(tryCompact, quietMs).unref();
      return;
    }
    wantedSince = null;
    dirty = false;
    worked = false;
    lastCompaction = now;
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  };
  const want = () => {
    wantedSince ??= Date.now();
    check ??= setTimeout(tryCompact, quietMs).unref();
  };
  const unsubscribe = bus.subscribe((event) => {
    dirty = true;
    lastEvent = Date.now();
    if (BURSTS.has(event.type)) want();
  });
  const timer = setInterval(() => {
    if (options.worked?.()) worked = true;
    if (dirty || (worked && Date.now() - lastCompaction >= workedIntervalMs)) want();
  }, intervalMs).unref();
  return () => {
    unsubscribe();
    clearInterval(timer);
    if (check) clearTimeout(check);
  };
}
