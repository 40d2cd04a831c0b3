import { type Db, prepared } from './db.js';

export interface EventRow {
  readonly id: number;
  readonly time: number;
  readonly type: string;
  readonly app: string;
  readonly process: string | null;
  readonly replica: string | null;
  readonly message: string;
  readonly data: Record<string, unknown>;
  /** Events folded into this entry (1: itself alone). */
  readonly count: number;
  readonly lastTime: number | null;
}

interface RawEvent {
  id: number;
  time: number;
  type: string;
  app: string;
  process: string | null;
  replica: string | null;
  message: string;
  data: string;
  count: number;
  last_time: number | null;
}

const toEvent = ({ last_time, ...r }: RawEvent): EventRow => ({
  ...r,
  lastTime: last_time,
  data: JSON.parse(r.data) as Record<string, unknown>,
});

/** Counts one more repeat in an entry; returns the new count. */
export function foldEvent(db: Db, id: number, time: number): number {
  const row = prepared(
    db,
    'UPDATE events SET count = count + 1, last_time = ? WHERE id = ? RETURNING count',
  ).get(time, id) as { count: number } | undefined;
  return row?.count ?? 0;
}

export function insertEvent(db: Db, e: Omit<EventRow, 'id' | 'count' | 'lastTime'>): number {
  const res = prepared(
    db,
    'INSERT INTO events (time, type, app, process, replica, message, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(e.time, e.type, e.app, e.process, e.replica, e.message, JSON.stringify(e.data));
  return Number(res.lastInsertRowid);
}

/** Newest first; `afterId` returns only newer events (for resuming a stream), oldest first. */
export function listEvents(db: Db, q: { app?: string; limit: number; afterId?: number }): EventRow[] {
  if (q.afterId !== undefined) {
    const rows = q.app
      ? prepared(db, 'SELECT * FROM events WHERE app = ? AND id > ? ORDER BY id LIMIT ?').all(
          q.app,
          q.afterId,
          q.limit,
        )
      : prepared(db, 'SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?').all(q.afterId, q.limit);
    return (rows as unknown as RawEvent[]).map(toEvent);
  }
  const rows = q.app
    ? prepared(db, 'SELECT * FROM events WHERE app = ? ORDER BY id DESC LIMIT ?').all(q.app, q.limit)
    : prepared(db, 'SELECT * FROM events ORDER BY id DESC LIMIT ?').all(q.limit);
  return (rows as unknown as RawEvent[]).map(toEvent);
}
