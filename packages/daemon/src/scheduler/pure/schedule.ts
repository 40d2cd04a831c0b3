import { Cron } from 'croner';
import { CRON_NICKNAMES } from '@nightshift/manifest/names';

/**
 * A compiled schedule as the slot engine sees it: instants in epoch milliseconds (UTC), never a `Date` taken
 * from a clock. Both queries are strict, like croner's, so the caller decides whether "now" itself counts.
 */
export interface Schedule {
  /** The schedule as written (normalised), for messages. */
  readonly expression: string;
  /** The first slot strictly after `after`, or null when there is none. */
  next(after: number): number | null;
  /** The last slot strictly before `before`, or null when there is none. */
  previous(before: number): number | null;
}

/**
 * `minutes` is the manifest's contract (exactly 5 fields or a nickname). `seconds` accepts croner's 6-field form
 * with a leading seconds field; only the library API uses it (benchmarks and tests that need many slots fast).
 */
export type Granularity = 'minutes' | 'seconds';

/**
 * Compiles a schedule the manifest has already validated (`checkSchedule`): same croner options as the manifest
 * (UTC as a fixed offset, day-of-month OR day-of-week, created paused so croner's own timer never runs). Throws croner's error on
 * an expression that does not compile.
 */
export function compileSchedule(text: string, granularity: Granularity = 'minutes'): Schedule {
  const expression = text.trim().replace(/\s+/g, ' ');
  const pattern = CRON_NICKNAMES[expression.toLowerCase()] ?? expression;
  const cron = new Cron(pattern, {
    mode: granularity === 'minutes' ? '5-part' : '6-part',
    // A fixed offset, not the 'Etc/UTC' zone: a zone makes croner use Intl, which maps ICU's data into the
    // daemon for good; for UTC both give the same instants.
    utcOffset: 0,
    paused: true,
    domAndDow: false,
  });
  return {
    expression,
    next(after) {
      return cron.nextRun(new Date(after))?.getTime() ?? null;
    },
    previous(before) {
      return cron.previousRuns(1, new Date(before))[0]?.getTime() ?? null;
    },
  };
}
