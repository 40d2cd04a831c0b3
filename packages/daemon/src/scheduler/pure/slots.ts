import type { Schedule } from './schedule.js';

/**
 * The most slots one late fire counts as coalesced. Walking slots costs ~50 µs each, so an outage of a month of
 * a per-minute job (43,200 slots) would cost 2 s on the tick path; past the cap the count reads "at least".
 */
export const COALESCE_CAP = 1000;

/** The slot a tick should fire, and what it stands for. */
export interface DueSlot {
  /** The newest slot in (cursor, now]. */
  readonly slot: number;
  /** Slots in (cursor, slot) that this fire replaces, at most `cap`. */
  readonly coalesced: number;
  /** True when `coalesced` hit the cap: the real number is at least that. */
  readonly capped: boolean;
  /** now − slot: how late the fire is. */
  readonly lateMs: number;
}

/**
 * The no-catch-up rule (DESIGN §5): of every slot after the durable cursor and not after `now`, only the newest
 * fires; the ones before it are counted, never run. Returns null when no slot is due (also when the clock stands
 * before the cursor: a slot is never fired twice, so a backward clock step waits).
 */
export function dueSlot(schedule: Schedule, cursor: number, now: number, cap = COALESCE_CAP): DueSlot | null {
  // previous() is strict: ask before now + 1 ms so a slot falling exactly on now is due.
  const slot = schedule.previous(now + 1);
  if (slot === null || slot <= cursor) return null;
  const { count, capped } = countBetween(schedule, cursor, slot, cap);
  return { slot, coalesced: count, capped, lateMs: now - slot };
}

/**
 * How many slots lie strictly between `from` and `to`, counting at most `cap` (never enumerating an unbounded
 * gap). Each step is one croner query.
 */
export function countBetween(
  schedule: Schedule,
  from: number,
  to: number,
  cap = COALESCE_CAP,
): { count: number; capped: boolean } {
  let count = 0;
  let at = schedule.next(from);
  while (at !== null && at < to) {
    if (count === cap) return { count, capped: true };
    count++;
    at = schedule.next(at);
  }
  return { count, capped: false };
}

/**
 * The next slot that can fire: the first after the cursor, or after `now` when the cursor is behind it (the slots
 * in between are due already and fire as one). Null when the schedule has no further slot.
 */
export function nextSlot(schedule: Schedule, cursor: number, now: number): number | null {
  return schedule.next(Math.max(cursor, now));
}

/** The next `n` slots after the later of the cursor and now, oldest first (fewer when the schedule runs out). */
export function nextSlots(schedule: Schedule, cursor: number, now: number, n: number): number[] {
  const out: number[] = [];
  let from = Math.max(cursor, now);
  while (out.length < n) {
    const slot = schedule.next(from);
    if (slot === null) break;
    out.push(slot);
    from = slot;
  }
  return out;
}

/**
 * When the loop must next look at a job: its first slot after the cursor. A tick before that instant has nothing
 * to do for the job, so the loop skips it without asking croner.
 */
export function wakeAt(schedule: Schedule, cursor: number): number | null {
  return schedule.next(cursor);
}

/**
 * The cursor a job starts with, or moves to, when the manifest introduces or changes it (P4): never backwards,
 * and never before now, so nothing fires retroactively.
 */
export function cursorOnChange(previous: number | null, now: number): number {
  return previous === null ? now : Math.max(previous, now);
}

/** How far the clock stands behind the cursor, beyond `toleranceMs`; 0 when it does not. */
export function clockBehind(cursor: number, now: number, toleranceMs = 1000): number {
  return now < cursor - toleranceMs ? cursor - now : 0;
}
