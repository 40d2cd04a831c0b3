import { CRON_NICKNAMES } from '@nightshift/manifest';

/**
 * Cron schedules as the Kubernetes CronJob controller reads them (robfig/cron's standard parser), and the
 * longest gap between two fires, which becomes `startingDeadlineSeconds`: after any outage the newest missed
 * slot is always younger than one gap, so exactly one late run starts, never a storm, never none.
 */

/** The fields of a 5-field expression, expanded. Days of week: 0 = Sunday … 6 = Saturday. */
export interface ParsedSchedule {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  /** A day field written as `*` (or `?`) matches with AND; two restricted day fields match with OR (Vixie). */
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

export type ScheduleParse =
  { readonly ok: true; readonly schedule: ParsedSchedule } | { readonly ok: false; readonly reason: string };

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldBounds {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names: readonly string[] | null;
  /** First value the names map to (1 for months, 0 for days). */
  readonly nameBase: number;
}

const FIELDS: readonly FieldBounds[] = [
  { label: 'minute', min: 0, max: 59, names: null, nameBase: 0 },
  { label: 'hour', min: 0, max: 23, names: null, nameBase: 0 },
  { label: 'day-of-month', min: 1, max: 31, names: null, nameBase: 0 },
  { label: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  // robfig/cron's day-of-week stops at 6: a `7` for Sunday is rejected by the API server.
  { label: 'day-of-week', min: 0, max: 6, names: DAY_NAMES, nameBase: 0 },
];

function parseValue(text: string, bounds: FieldBounds): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const index = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
  return index >= 0 ? index + bounds.nameBase : null;
}

type FieldParse = { readonly values: Set<number>; readonly star: boolean } | { readonly error: string };

/** One field: a comma list of `*`, `?`, `N`, `N-M`, each optionally `/STEP` (`N/STEP` means `N-max/STEP`). */
function parseField(field: string, bounds: FieldBounds): FieldParse {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) {
    const match = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!match) return { error: `the ${bounds.label} field has "${part}", which Kubernetes cannot read` };
    const [, range = '', stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return { error: `the ${bounds.label} field has a step of 0 in "${part}"` };
    let start: number;
    let end: number;
    if (range === '*' || range === '?') {
      [start, end] = [bounds.min, bounds.max];
      star = true;
    } else {
      const ends = range.split('-');
      const first = ends[0] === undefined ? null : parseValue(ends[0], bounds);
      const last = ends.length === 2 && ends[1] !== undefined ? parseValue(ends[1], bounds) : first;
      if (ends.length > 2 || first === null || last === null) {
        return { error: `the ${bounds.label} field has "${part}", which Kubernetes cannot read` };
      }
      start = first;
      end = stepText !== undefined && ends.length === 1 ? bounds.max : last;
    }
    if (start > end) {
      return {
        error: `the ${bounds.label} field's "${part}" runs backwards, and Kubernetes has no wrap-around ranges (Sunday is 0)`,
      };
    }
    if (start < bounds.min || end > bounds.max) {
      return { error: `the ${bounds.label} field's "${part}" is outside ${bounds.min}-${bounds.max}` };
    }
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return { values, star };
}

/**
 * Parses a schedule the way the CronJob controller does, refusing what it would read differently from
 * Nightshift's own scheduler (a stepped `*\/N` day field next to a restricted one: robfig/cron ANDs it, Vixie ORs it).
 */
export function parseSchedule(expression: string): ScheduleParse {
  const trimmed = expression.trim();
  // The manifest's nicknames are exactly robfig/cron's (no @reboot, no @every).
  const text = trimmed.startsWith('@') ? CRON_NICKNAMES[trimmed.toLowerCase()] : trimmed;
  if (text === undefined) return { ok: false, reason: `"${trimmed}" is not a nickname Kubernetes knows` };
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return { ok: false, reason: `"${trimmed}" does not have exactly 5 fields` };
  const parsed: { values: Set<number>; star: boolean }[] = [];
  for (const [i, bounds] of FIELDS.entries()) {
    const result = parseField(parts[i] ?? '', bounds);
    if ('error' in result) return { ok: false, reason: result.error };
    parsed.push(result);
  }
  const [minute, hour, dom, month, dow] = parsed as [
    (typeof parsed)[0],
    (typeof parsed)[0],
    (typeof parsed)[0],
    (typeof parsed)[0],
    (typeof parsed)[0],
  ];
  const stepped = (field: string | undefined): boolean => field !== undefined && /^[*?]\/\d+$/.test(field);
  if ((stepped(parts[2]) && !dow.star) || (stepped(parts[4]) && !dom.star)) {
    return {
      ok: false,
      reason:
        'a stepped "*/N" day field next to a restricted one means different days to Kubernetes than to Nightshift',
    };
  }
  return {
    ok: true,
    schedule: {
      minutes: [...minute.values].sort((a, b) => a - b),
      hours: [...hour.values].sort((a, b) => a - b),
      daysOfMonth: dom.values,
      months: month.values,
      daysOfWeek: dow.values,
      domStar: dom.star,
      dowStar: dow.star,
    },
  };
}

/** Days in the Gregorian cycle, after which weekdays, leap years and month lengths repeat exactly. */
const CYCLE_DAYS = 146_097;
const DAY_MINUTES = 1440;

function dayMatches(s: ParsedSchedule, dayOfMonth: number, month: number, weekday: number): boolean {
  if (!s.months.has(month)) return false;
  const dom = s.daysOfMonth.has(dayOfMonth);
  const dow = s.daysOfWeek.has(weekday);
  return s.domStar || s.dowStar ? dom && dow : dom || dow;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The longest time, in seconds, between two consecutive fires of the schedule, over a whole 400-year
 * Gregorian cycle (so `0 0 29 2 *` gives the 8 years around 2100). Null when the schedule never fires.
 */
export function longestGapSeconds(s: ParsedSchedule): number | null {
  const times = s.hours.flatMap((h) => s.minutes.map((m) => h * 60 + m));
  const firstTime = times[0];
  const lastTime = times[times.length - 1];
  if (firstTime === undefined || lastTime === undefined) return null;
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, (times[i] ?? 0) - (times[i - 1] ?? 0));

  // Every day fires (the common case): the longest gap is within a day or across midnight, no walk needed.
  if (s.daysOfMonth.size === 31 && s.months.size === 12 && s.daysOfWeek.size === 7) {
    return Math.max(gap, DAY_MINUTES - lastTime + firstTime) * 60;
  }
  // Walk every day of one cycle from 2000-01-01 (a Saturday) with counters, not Date objects: it is 146k days.
  let firstDay: number | null = null;
  let previousDay: number | null = null;
  let [year, month, dayOfMonth, weekday] = [2000, 1, 1, 6];
  for (let day = 0; day < CYCLE_DAYS; day++) {
    if (dayMatches(s, dayOfMonth, month, weekday)) {
      firstDay ??= day;
      if (previousDay !== null) gap = Math.max(gap, (day - previousDay) * DAY_MINUTES - lastTime + firstTime);
      previousDay = day;
    }
    weekday = (weekday + 1) % 7;
    const length = month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] ?? 31);
    if (++dayOfMonth > length) {
      dayOfMonth = 1;
      if (++month > 12) [month, year] = [1, year + 1];
    }
  }
  if (firstDay === null || previousDay === null) return null;
  // The cycle repeats: the gap from its last fire day to the next cycle's first one counts too.
  gap = Math.max(gap, (firstDay + CYCLE_DAYS - previousDay) * DAY_MINUTES - lastTime + firstTime);
  return gap * 60;
}
