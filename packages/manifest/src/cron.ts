import { Cron } from 'croner';
import { CRON_HORIZON_YEARS } from './defaults.js';
import { CRON_NICKNAMES } from './names.js';

type ScheduleCode =
  | 'NS_MANIFEST_CRON_FIELDS'
  | 'NS_MANIFEST_CRON_SECONDS'
  | 'NS_MANIFEST_CRON_TIMEZONE'
  | 'NS_MANIFEST_CRON_NICKNAME'
  | 'NS_MANIFEST_CRON_SYNTAX'
  | 'NS_MANIFEST_CRON_NEVER'
  | 'NS_MANIFEST_CRON_DOM_DOW';

export interface ScheduleProblem {
  readonly code: ScheduleCode;
  readonly message: string;
  /** A sharper hint than the catalogue's, when there is one. */
  readonly hint?: string;
}

export interface ScheduleCheck {
  /** The normalised schedule (single spaces, lower-case nickname); null when it has errors. */
  readonly schedule: string | null;
  readonly errors: readonly ScheduleProblem[];
  readonly warnings: readonly ScheduleProblem[];
}

// Month and weekday names are legal words in cron fields; any other letter but L (last) is an extension.
const NAMES = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat/gi;
const FIELD_CHARS = /^[0-9*,/\-L#]+$/;

/** Single spaces, nicknames in lower case: the form kept in `CronSpec.schedule`. */
export function normaliseSchedule(text: string): string {
  const schedule = text.trim().replace(/\s+/g, ' ');
  return schedule.startsWith('@') ? schedule.toLowerCase() : schedule;
}

function expressionOf(schedule: string): string {
  return CRON_NICKNAMES[schedule] ?? schedule;
}

function compile(schedule: string): Cron {
  return new Cron(expressionOf(schedule), {
    mode: '5-part',
    timezone: 'Etc/UTC',
    paused: true,
    domAndDow: false,
  });
}

function syntaxProblem(fields: readonly string[]): ScheduleProblem | null {
  for (const field of fields) {
    const rest = field.replace(NAMES, '0');
    if (FIELD_CHARS.test(rest)) continue;
    const odd = /[W?H]/.exec(rest)?.[0];
    const why = odd
      ? `"${odd}" is an extension of some cron dialects, not portable cron`
      : `"${field}" has characters cron does not know`;
    return { code: 'NS_MANIFEST_CRON_SYNTAX', message: why };
  }
  return null;
}

/**
 * Checks a schedule the way DESIGN §5 asks: exactly 5 fields or a nickname, no seconds, no time-zone prefix,
 * at least one slot within 5 years of `now`, and a warning when day-of-month and day-of-week are both set.
 */
export function checkSchedule(text: string, now: Date): ScheduleCheck {
  const schedule = normaliseSchedule(text);
  const fail = (problem: ScheduleProblem): ScheduleCheck => ({
    schedule: null,
    errors: [problem],
    warnings: [],
  });
  if (/^(CRON_)?TZ=/i.test(schedule)) {
    const rest = schedule.replace(/^\S+\s*/, '');
    return fail({
      code: 'NS_MANIFEST_CRON_TIMEZONE',
      message: `"${schedule}" has a time-zone prefix; schedules are always UTC`,
      hint: `remove the prefix and write the time in UTC: "${rest}"`,
    });
  }
  if (schedule.startsWith('@')) {
    if (CRON_NICKNAMES[schedule]) return { schedule, errors: [], warnings: [] };
    return fail({
      code: 'NS_MANIFEST_CRON_NICKNAME',
      message:
        schedule === '@reboot'
          ? '"@reboot" is not supported: cron jobs run on a clock'
          : `"${schedule}" is not a known nickname`,
      hint:
        schedule === '@reboot'
          ? 'for work that starts with the app, use a worker'
          : `use one of ${Object.keys(CRON_NICKNAMES).join(', ')}`,
    });
  }
  const fields = schedule === '' ? [] : schedule.split(' ');
  if (fields.length === 6 || fields.length === 7) {
    return fail({
      code: 'NS_MANIFEST_CRON_SECONDS',
      message: `"${schedule}" has ${fields.length} fields; Nightshift schedules have exactly 5 (minute hour day-of-month month day-of-week), no seconds${fields.length === 7 ? ' or year' : ''} field`,
      hint: `drop the seconds field: "${fields.slice(1, 6).join(' ')}"`,
    });
  }
  if (fields.length !== 5) {
    return fail({
      code: 'NS_MANIFEST_CRON_FIELDS',
      message: `"${schedule}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; expected exactly 5 (minute hour day-of-month month day-of-week) or a nickname such as @daily`,
    });
  }
  const syntax = syntaxProblem(fields);
  if (syntax) return fail({ ...syntax, message: `"${schedule}": ${syntax.message}` });
  let cron: Cron;
  try {
    cron = compile(schedule);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/^CronPattern:\s*/, '');
    return fail({ code: 'NS_MANIFEST_CRON_SYNTAX', message: `"${schedule}" is not valid: ${reason}` });
  }
  const horizon = new Date(now.getTime());
  horizon.setUTCFullYear(horizon.getUTCFullYear() + CRON_HORIZON_YEARS);
  const next = cron.nextRun(now);
  if (!next || next.getTime() > horizon.getTime()) {
    return fail({
      code: 'NS_MANIFEST_CRON_NEVER',
      message: `"${schedule}" never fires in the next ${CRON_HORIZON_YEARS} years`,
    });
  }
  const warnings: ScheduleProblem[] = [];
  if (fields[2] !== '*' && fields[4] !== '*') {
    warnings.push({
      code: 'NS_MANIFEST_CRON_DOM_DOW',
      message: `"${schedule}" sets both day-of-month (${fields[2]}) and day-of-week (${fields[4]}): it runs when EITHER matches`,
    });
  }
  return { schedule, errors: [], warnings };
}

/**
 * The next `count` slots of a schedule strictly after `after`, in UTC. Used by the daemon's scheduler to compute
 * slots; croner's own timer never drives firing (it is created paused).
 * @throws when the schedule is not valid (check it with `checkSchedule` or `parseManifest` first).
 */
export function cronSlots(schedule: string, after: Date, count: number): Date[] {
  return compile(normaliseSchedule(schedule)).nextRuns(count, after);
}
