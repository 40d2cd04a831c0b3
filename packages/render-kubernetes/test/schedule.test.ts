import { describe, expect, test } from 'vitest';
import { longestGapSeconds, parseSchedule } from '../src/index.js';

const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;

/** Seconds between two dates, computed by Date as an independent oracle. */
function between(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 1000;
}

function gap(expression: string): number | null {
  const parsed = parseSchedule(expression);
  if (!parsed.ok) throw new Error(parsed.reason);
  return longestGapSeconds(parsed.schedule);
}

describe('longest gap between two fires (startingDeadlineSeconds)', () => {
  test.each([
    ['0 2 * * *', DAY],
    ['*/5 * * * *', 5 * MIN],
    ['* * * * *', MIN],
    ['0 9 * * 1-5', 3 * DAY], // Friday 09:00 → Monday 09:00
    ['0 9 * * mon-fri', 3 * DAY],
    ['0,30 * * * *', 30 * MIN],
    ['0 8,20 * * *', 12 * HOUR],
    ['15 3 * * 0', 7 * DAY],
    ['0 0 1 * *', 31 * DAY],
    ['0 0 31 * *', 61 * DAY], // 31 May → 31 July skips June; longer than 31 Jan → 31 Mar (59 or 60)
    ['0 0 1 1 *', 366 * DAY],
    ['0 0 29 2 *', between('2096-02-29', '2104-02-29')], // 2100 is not a leap year
    ['* * 1-28 * *', 3 * DAY + MIN], // 28th 23:59 → 1st 00:00 after a 31-day month
    ['0 0 13 * 5', 7 * DAY], // Vixie: the 13th OR a Friday
    ['30 4 1,15 * 5', 7 * DAY],
    ['0 12 * 6 *', between('2023-06-30', '2024-06-01')], // 30 June → 1 June across a leap February
    ['@hourly', HOUR],
    ['@daily', DAY],
    ['@weekly', 7 * DAY],
    ['@monthly', 31 * DAY],
    ['@yearly', 366 * DAY],
    ['0 0 ? * 1', 7 * DAY],
    ['5/20 * * * *', 20 * MIN], // 5,25,45, then :05 the next hour
  ])('%s → %i s', (expression, expected) => {
    expect(gap(expression)).toBe(expected);
  });

  test('a schedule with no day in any month never fires', () => {
    expect(gap('0 0 30 2 *')).toBeNull();
    expect(gap('0 0 31 4,6,9,11 *')).toBeNull();
  });
});

describe('schedules the CronJob controller would read differently are refused', () => {
  test.each([
    ['0 0 * * 7', /outside 0-6/], // robfig/cron has no 7 for Sunday
    ['0 0 L * *', /cannot read/],
    ['0 0 * * 5#2', /cannot read/],
    ['0 0 */2 * 1', /different days/], // AND in robfig/cron, OR in Vixie
    ['0 0 1 * */2', /different days/],
    ['0 0 * * * *', /exactly 5 fields/],
    ['@reboot', /not a nickname/],
    ['@every 5m', /not a nickname/],
    ['60 * * * *', /outside 0-59/],
    ['5-1 * * * *', /runs backwards/],
    ['0 0 * * sat-sun', /runs backwards/], // Nightshift reads sun as 7 here; robfig/cron as 0
    ['*/0 * * * *', /step of 0/],
  ])('%s', (expression, reason) => {
    const parsed = parseSchedule(expression);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  test('a stepped day field next to a star is fine: both are AND then', () => {
    expect(gap('0 0 */2 * *')).toBe(2 * DAY);
  });
});
