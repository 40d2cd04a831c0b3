import * as store from '../store/index.js';
import type { Clock } from '../runtime/clock.js';
import type { Recorded } from './bus.js';
import type { Coalescer } from './coalesce.js';
import type { DaemonEvent } from './types.js';

/** The app timeline as the API reads it: entries newest first, or those after an id (for live streams). */
export interface Timeline {
  list(filter: { app?: string; afterId?: number; limit: number }): store.EventRow[];
}

export function timelineOf(db: store.Db): Timeline {
  return { list: (filter) => store.listEvents(db, filter) };
}

/**
 * How the bus records an event: a new timeline entry, or a repeat folded into a recent one with the same
 * message (events/coalesce.ts).
 */
export function recordInTimeline(
  db: store.Db,
  coalescer: Coalescer,
  clock: Clock,
): (e: DaemonEvent) => Recorded {
  return (e) => {
    const now = clock.now();
    const into = coalescer.match(e, now);
    // A folded-into entry may be gone (its app destroyed): then the event gets an entry of its own.
    const count = into === null ? 0 : store.foldEvent(db, into, now);
    if (into !== null && count > 0) return { id: into, repeat: count - 1 };
    const id = store.insertEvent(db, {
      time: now,
      type: e.type,
      app: e.app,
      process: e.process ?? null,
      replica: e.replica ?? null,
      message: e.message,
      data: e.data as Record<string, unknown>,
    });
    coalescer.opened(e, id, now);
    return id;
  };
}
