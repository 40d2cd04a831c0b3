import { describe, expect, it } from 'vitest';
import { checkSchedule, cronSlots } from '../src/index.js';
import { NOW } from './helpers.js';

describe('checkSchedule', () => {
  it.each([
    ['0 2 * * *', '0 2 * * *'],
    ['  */15   9-17 * * 1-5 ', '*/15 9-17 * * 1-5'],
    ['@daily', '@daily'],
    ['@Hourly', '@hourly'],
    ['@midnight', '@midnight'],
    ['@annually', '@annually'],
    ['0 0 L * *', '0 0 L * *'],
    ['0 9 * JAN-MAR mon-fri', '0 9 * JAN-MAR mon-fri'],
    ['0 0 * * 5#2', '0 0 * * 5#2'],
  ])('accepts %j as %j', (text, normalised) => {
    expect(checkSchedule(text, NOW)).toEqual({ schedule: normalised, errors: [], warnings: [] });
  });

  it.each([
    ['0 0 2 * * *', 'NS_MANIFEST_CRON_SECONDS'],
    ['0 0 2 * * * 2027', 'NS_MANIFEST_CRON_SECONDS'],
    ['0 2 * *', 'NS_MANIFEST_CRON_FIELDS'],
    ['', 'NS_MANIFEST_CRON_FIELDS'],
    ['TZ=UTC 0 2 * * *', 'NS_MANIFEST_CRON_TIMEZONE'],
    ['cron_tz=Europe/Paris 0 2 * * *', 'NS_MANIFEST_CRON_TIMEZONE'],
    ['@reboot', 'NS_MANIFEST_CRON_NICKNAME'],
    ['@fortnightly', 'NS_MANIFEST_CRON_NICKNAME'],
    ['60 * * * *', 'NS_MANIFEST_CRON_SYNTAX'],
    ['0 24 * * *', 'NS_MANIFEST_CRON_SYNTAX'],
    ['0 0 * 13 *', 'NS_MANIFEST_CRON_SYNTAX'],
    ['0 0 LW * *', 'NS_MANIFEST_CRON_SYNTAX'],
    ['H 0 * * *', 'NS_MANIFEST_CRON_SYNTAX'],
    ['0 0 30 2 *', 'NS_MANIFEST_CRON_NEVER'],
    ['0 0 31 11 *', 'NS_MANIFEST_CRON_NEVER'],
  ])('rejects %j with %s', (text, code) => {
    const result = checkSchedule(text, NOW);
    expect(result.schedule).toBeNull();
    expect(result.errors.map((e) => e.code)).toEqual([code]);
  });

  it('judges "ever fires" from the given now, not the clock: Feb 29 skips the year 2100', () => {
    expect(checkSchedule('0 0 29 2 *', new Date('2026-03-01T00:00:00Z')).errors).toEqual([]);
    expect(checkSchedule('0 0 29 2 *', new Date('2096-03-01T00:00:00Z')).errors.map((e) => e.code)).toEqual([
      'NS_MANIFEST_CRON_NEVER',
    ]);
  });

  it('warns, without failing, when day-of-month and day-of-week are both restricted', () => {
    const result = checkSchedule('0 0 13 * 5', NOW);
    expect(result.schedule).toBe('0 0 13 * 5');
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toEqual(['NS_MANIFEST_CRON_DOM_DOW']);
    expect(checkSchedule('0 0 13 * *', NOW).warnings).toEqual([]);
    expect(checkSchedule('0 0 * * 5', NOW).warnings).toEqual([]);
  });
});

describe('cronSlots', () => {
  it('lists slots strictly after the given time, in UTC', () => {
    const slots = cronSlots('0 2 * * *', new Date('2026-11-23T02:00:00Z'), 3);
    expect(slots.map((d) => d.toISOString())).toEqual([
      '2026-11-24T02:00:00.000Z',
      '2026-11-25T02:00:00.000Z',
      '2026-11-26T02:00:00.000Z',
    ]);
  });

  it('expands nicknames, including @midnight', () => {
    expect(cronSlots('@midnight', NOW, 1)[0]?.toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(cronSlots('@WEEKLY', NOW, 1)[0]?.toISOString()).toBe('2026-11-29T00:00:00.000Z');
  });

  it('ORs day-of-month and day-of-week like Vixie cron', () => {
    const slots = cronSlots('0 0 13 * 5', new Date('2026-01-01T00:00:00Z'), 3).map((d) =>
      d.toISOString().slice(0, 10),
    );
    expect(slots).toEqual(['2026-01-02', '2026-01-09', '2026-01-13']);
  });

  it('does not depend on the host time zone', () => {
    // The slot at 02:00 UTC on the day Europe and the US leave summer time is still 02:00 UTC.
    const slots = cronSlots('0 2 * * *', new Date('2026-10-24T12:00:00Z'), 2).map((d) => d.toISOString());
    expect(slots).toEqual(['2026-10-25T02:00:00.000Z', '2026-10-26T02:00:00.000Z']);
  });
});
