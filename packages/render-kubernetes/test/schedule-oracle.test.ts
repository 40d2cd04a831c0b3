import fc from 'fast-check';
import { expect, test } from 'vitest';
import { cronSlots } from '@nightshift/manifest';
import { longestGapSeconds, parseSchedule } from '../src/index.js';

/**
 * The render's reading of a schedule must agree with the local scheduler's (croner through `cronSlots`, Vixie OR
 * of the day fields), or a cluster and a machine would fire on different days. Random schedules from a
 * vocabulary of at most 2 fires a day are walked with croner over 2001–2029 (every weekday/leap-year layout
 * within one century) and their longest gap compared with the render's 400-year computation.
 */

const FROM = new Date('2001-01-01T00:00:00Z');
const TO = Date.parse('2029-01-01T00:00:00Z');

function croneGap(schedule: string): number | null {
  let gap = 0;
  let previous: number | null = null;
  let after = FROM;
  for (;;) {
    const slots = cronSlots(schedule, after, 5000);
    for (const slot of slots) {
      const t = slot.getTime();
      if (t > TO) return previous === null ? null : gap;
      if (previous !== null) gap = Math.max(gap, (t - previous) / 1000);
      previous = t;
    }
    const last = slots.at(-1);
    if (!last) return previous === null ? null : gap;
    after = last;
  }
}

const field = (values: string[]) => fc.constantFrom(...values);
const schedules = fc
  .tuple(
    field(['0', '30', '45']),
    field(['0', '12', '23', '*/12']),
    field(['*', '1', '15', '1,15', '10-20', '28-31', '31', '1-31/10']),
    field(['*', '1', '2', '*/3', '6-8', '2,11']),
    field(['*', '1-5', '0', '6', 'mon,fri', 'sat,sun']),
  )
  .map((parts) => parts.join(' '));

test('longest gap agrees with the local scheduler on random schedules', () => {
  fc.assert(
    fc.property(schedules, (schedule) => {
      const parsed = parseSchedule(schedule);
      expect(parsed.ok, schedule).toBe(true);
      if (!parsed.ok) return;
      expect(longestGapSeconds(parsed.schedule), schedule).toBe(croneGap(schedule));
    }),
    { seed: 20261123, numRuns: 25 },
  );
}, 60_000);
