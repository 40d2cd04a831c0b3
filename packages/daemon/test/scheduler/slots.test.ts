import { cronSlots } from '@nightshift/manifest';
import { describe, expect, it } from 'vitest';
import { compileSchedule } from '../../src/scheduler/pure/schedule.js';
import {
  clockBehind,
  COALESCE_CAP,
  countBetween,
  cursorOnChange,
  dueSlot,
  nextSlot,
  nextSlots,
  wakeAt,
} from '../../src/scheduler/pure/slots.js';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const MIN = 60_000;
const HOUR = 60 * MIN;

/** Replays a fake clock over [from, to] in `step` increments, firing like the loop does; returns the fires. */
function replay(expr: string, cursor: number, from: number, to: number, step: number) {
  const schedule = compileSchedule(expr);
  const fires: { slot: string; coalesced: number }[] = [];
  for (let now = from; now <= to; now += step) {
    const due = dueSlot(schedule, cursor, now);
    if (!due) continue;
    fires.push({ slot: iso(due.slot)!, coalesced: due.coalesced });
    cursor = due.slot;
  }
  return fires;
}

describe('dueSlot: the newest due slot, and what it coalesces', () => {
  const everyFive = compileSchedule('*/5 * * * *');

  it('is null before the first slot after the cursor, and fires exactly on the slot', () => {
    const cursor = t('2026-03-01T10:00:00Z');
    expect(dueSlot(everyFive, cursor, t('2026-03-01T10:04:59.999Z'))).toBeNull();
    expect(dueSlot(everyFive, cursor, t('2026-03-01T10:05:00.000Z'))).toEqual({
      slot: t('2026-03-01T10:05:00Z'),
      coalesced: 0,
      capped: false,
      lateMs: 0,
    });
    expect(dueSlot(everyFive, cursor, t('2026-03-01T10:05:00.250Z'))?.lateMs).toBe(250);
  });

  it('never fires the cursor itself again (a restart right after a fire is quiet)', () => {
    const cursor = t('2026-03-01T10:05:00Z');
    expect(dueSlot(everyFive, cursor, cursor)).toBeNull();
    expect(dueSlot(everyFive, cursor, cursor + 10_000)).toBeNull();
  });

  it('after a gap fires only the newest slot and counts the ones before it', () => {
    const cursor = t('2026-03-01T10:00:00Z');
    // Down from 10:00 to 13:02: slots 10:05 … 13:00 (36 of them); one run for 13:00 standing for 35 more.
    const due = dueSlot(everyFive, cursor, t('2026-03-01T13:02:10Z'))!;
    expect(iso(due.slot)).toBe('2026-03-01T13:00:00.000Z');
    expect(due.coalesced).toBe(35);
    expect(due.capped).toBe(false);
    expect(due.lateMs).toBe(2 * MIN + 10_000);
  });

  it('caps the count instead of enumerating an unbounded gap', () => {
    const everyMinute = compileSchedule('* * * * *');
    const cursor = t('2026-01-01T00:00:00Z');
    const due = dueSlot(everyMinute, cursor, t('2026-02-01T00:00:30Z'))!; // a month: 44,640 slots
    expect(iso(due.slot)).toBe('2026-02-01T00:00:00.000Z');
    expect(due).toMatchObject({ coalesced: COALESCE_CAP, capped: true });
    expect(countBetween(everyMinute, cursor, cursor + 10 * MIN, 3)).toEqual({ count: 3, capped: true });
    expect(countBetween(everyMinute, cursor, cursor + 4 * MIN, 3)).toEqual({ count: 3, capped: false });
  });

  it('waits when the clock stands before the cursor (a backward step never re-fires a slot)', () => {
    const cursor = t('2026-03-01T12:00:00Z');
    expect(dueSlot(everyFive, cursor, t('2026-03-01T11:00:00Z'))).toBeNull();
    expect(dueSlot(everyFive, cursor, t('2026-03-01T11:59:59Z'))).toBeNull();
    expect(iso(dueSlot(everyFive, cursor, t('2026-03-01T12:05:00Z'))!.slot)).toBe('2026-03-01T12:05:00.000Z');
    expect(clockBehind(cursor, t('2026-03-01T11:00:00Z'))).toBe(HOUR);
    expect(clockBehind(cursor, cursor - 500)).toBe(0);
    expect(clockBehind(cursor, cursor + 500)).toBe(0);
  });
});

describe('a fake clock replayed over the loop', () => {
  it('ticking every second fires every slot once, on time, none coalesced', () => {
    const start = t('2026-03-01T10:00:00.500Z');
    const fires = replay('*/15 * * * *', start, start, start + 2 * HOUR, 1000);
    expect(fires).toHaveLength(8);
    expect(fires.every((f) => f.coalesced === 0)).toBe(true);
    expect(fires[0]!.slot).toBe('2026-03-01T10:15:00.000Z');
    expect(fires.at(-1)!.slot).toBe('2026-03-01T12:00:00.000Z');
  });

  it('a loop blocked for 11 minutes fires one late run for the newest slot, then resumes', () => {
    const start = t('2026-03-01T10:00:00Z');
    const schedule = compileSchedule('* * * * *');
    let cursor = start;
    const fires: { slot: string; coalesced: number }[] = [];
    for (const now of [
      start + 30_000,
      start + 11 * MIN + 400,
      start + 11 * MIN + 1400,
      start + 12 * MIN + 5,
    ]) {
      const due = dueSlot(schedule, cursor, now);
      if (due) {
        fires.push({ slot: iso(due.slot)!, coalesced: due.coalesced });
        cursor = due.slot;
      }
    }
    expect(fires).toEqual([
      { slot: '2026-03-01T10:11:00.000Z', coalesced: 10 },
      { slot: '2026-03-01T10:12:00.000Z', coalesced: 0 },
    ]);
  });

  it('a forward clock step of 3 h gives one coalesced run; a restart right after gives none', () => {
    const cursor = t('2026-03-01T10:00:00Z');
    const hourly = compileSchedule('@hourly');
    const due = dueSlot(hourly, cursor, cursor + 3 * HOUR + 2_000)!;
    expect(iso(due.slot)).toBe('2026-03-01T13:00:00.000Z');
    expect(due.coalesced).toBe(2);
    expect(dueSlot(hourly, due.slot, due.slot + 5_000)).toBeNull();
  });
});

describe('calendar edges (UTC; no DST)', () => {
  it('month ends: the 31st only in long months', () => {
    const s = compileSchedule('0 0 31 * *');
    const slots: string[] = [];
    let at = t('2026-01-01T00:00:00Z');
    for (let i = 0; i < 7; i++) slots.push(iso((at = s.next(at)!))!.slice(0, 10));
    expect(slots).toEqual([
      '2026-01-31',
      '2026-03-31',
      '2026-05-31',
      '2026-07-31',
      '2026-08-31',
      '2026-10-31',
      '2026-12-31',
    ]);
  });

  it('L is the last day of each month, February in leap and common years', () => {
    const s = compileSchedule('0 0 L * *');
    expect(iso(s.next(t('2024-02-01T00:00:00Z')))).toBe('2024-02-29T00:00:00.000Z');
    expect(iso(s.next(t('2026-02-01T00:00:00Z')))).toBe('2026-02-28T00:00:00.000Z');
    expect(iso(s.next(t('2026-04-01T00:00:00Z')))).toBe('2026-04-30T00:00:00.000Z');
    // The due slot after a gap across a month end is that month's last day.
    expect(iso(dueSlot(s, t('2024-02-10T00:00:00Z'), t('2024-03-05T00:00:00Z'))!.slot)).toBe(
      '2024-02-29T00:00:00.000Z',
    );
  });

  it('Feb 29 exists only in leap years; a gap across four years coalesces the leap days between', () => {
    const s = compileSchedule('0 12 29 2 *');
    expect(iso(s.next(t('2025-01-01T00:00:00Z')))).toBe('2028-02-29T12:00:00.000Z');
    const due = dueSlot(s, t('2019-01-01T00:00:00Z'), t('2028-03-01T00:00:00Z'))!;
    expect(iso(due.slot)).toBe('2028-02-29T12:00:00.000Z');
    expect(due.coalesced).toBe(2); // 2020 and 2024
  });

  it('nicknames are their 5-field expressions', () => {
    const from = t('2026-07-15T10:30:00Z');
    const cases: [string, string][] = [
      ['@hourly', '2026-07-15T11:00:00.000Z'],
      ['@daily', '2026-07-16T00:00:00.000Z'],
      ['@midnight', '2026-07-16T00:00:00.000Z'],
      ['@weekly', '2026-07-19T00:00:00.000Z'], // a Sunday
      ['@monthly', '2026-08-01T00:00:00.000Z'],
      ['@yearly', '2027-01-01T00:00:00.000Z'],
      ['@annually', '2027-01-01T00:00:00.000Z'],
    ];
    for (const [nick, want] of cases) expect(iso(compileSchedule(nick).next(from)), nick).toBe(want);
  });

  it('day-of-month and day-of-week together match EITHER (Vixie)', () => {
    const s = compileSchedule('0 0 13 * 5');
    const slots: string[] = [];
    let at = t('2026-01-01T00:00:00Z');
    for (let i = 0; i < 3; i++) slots.push(iso((at = s.next(at)!))!.slice(0, 10));
    expect(slots).toEqual(['2026-01-02', '2026-01-09', '2026-01-13']);
  });

  it('is UTC whatever the host zone: an hourly job across a US DST change keeps its hours', () => {
    const s = compileSchedule('0 * * * *');
    const slots: string[] = [];
    let at = t('2026-03-08T05:30:00Z');
    for (let i = 0; i < 4; i++) slots.push(iso((at = s.next(at)!))!.slice(11, 16));
    expect(slots).toEqual(['06:00', '07:00', '08:00', '09:00']);
  });

  it('agrees with the manifest package’s cronSlots on a corpus of schedules', () => {
    const from = new Date('2026-02-27T23:59:30Z');
    for (const expr of [
      '*/7 * * * *',
      '0 0 L * *',
      '15 3 * * 1-5',
      '0 0 * * 5L',
      '0 0 * * 1#2',
      '@weekly',
      '0 0 29 2 *',
      '30 2 1,15 * *',
    ]) {
      const ours: string[] = [];
      let at = from.getTime();
      const s = compileSchedule(expr);
      for (let i = 0; i < 6; i++) ours.push(iso((at = s.next(at)!))!);
      expect(ours, expr).toEqual(cronSlots(expr, from, 6).map((d) => d.toISOString()));
    }
  });

  it('seconds granularity (library API only) has a slot every second', () => {
    const s = compileSchedule('* * * * * *', 'seconds');
    const cursor = t('2026-03-01T10:00:00Z');
    expect(dueSlot(s, cursor, cursor + 3_200)).toMatchObject({ slot: cursor + 3_000, coalesced: 2 });
  });
});

describe('cursor rules', () => {
  it('a new job starts at now; a change never moves the cursor back', () => {
    const now = t('2026-03-01T10:00:00Z');
    expect(cursorOnChange(null, now)).toBe(now);
    expect(cursorOnChange(now - HOUR, now)).toBe(now);
    expect(cursorOnChange(now + HOUR, now)).toBe(now + HOUR);
  });

  it('next and wake-up: the first slot after the cursor, or after now when behind', () => {
    const s = compileSchedule('0 * * * *');
    const cursor = t('2026-03-01T10:00:00Z');
    expect(iso(wakeAt(s, cursor))).toBe('2026-03-01T11:00:00.000Z');
    expect(iso(nextSlot(s, cursor, t('2026-03-01T10:20:00Z')))).toBe('2026-03-01T11:00:00.000Z');
    expect(iso(nextSlot(s, cursor, t('2026-03-01T13:20:00Z')))).toBe('2026-03-01T14:00:00.000Z');
  });
});

describe('compileSchedule: UTC whatever the machine zone', () => {
  it('gives UTC instants when TZ is a zone with DST, forwards and backwards', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      // Local time differs from UTC here, so a schedule compiled in local time would give 07:00Z / 06:00Z.
      expect(new Date(t('2026-03-08T12:00:00Z')).getHours()).not.toBe(12);
      const nightly = compileSchedule('0 2 * * *');
      expect(iso(nightly.next(t('2026-03-08T00:00:00Z')))).toBe('2026-03-08T02:00:00.000Z');
      expect(iso(nightly.next(t('2026-11-01T02:00:00Z')))).toBe('2026-11-02T02:00:00.000Z');
      expect(iso(nightly.previous(t('2026-03-08T01:59:59Z')))).toBe('2026-03-07T02:00:00.000Z');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('nextSlots', () => {
  it('lists the next n slots after the later of cursor and now, and stops where the schedule does', () => {
    const hourly = compileSchedule('0 * * * *');
    expect(nextSlots(hourly, t('2026-01-01T00:00:00Z'), t('2026-01-01T10:30:00Z'), 3).map(iso)).toEqual([
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
      '2026-01-01T13:00:00.000Z',
    ]);
    // A cursor ahead of now (the clock stepped back) still never lists a slot at or before it.
    expect(nextSlots(hourly, t('2026-01-01T12:00:00Z'), t('2026-01-01T10:30:00Z'), 1).map(iso)).toEqual([
      '2026-01-01T13:00:00.000Z',
    ]);
    expect(nextSlots(hourly, 0, t('2026-01-01T10:30:00Z'), 0)).toEqual([]);
  });
});
