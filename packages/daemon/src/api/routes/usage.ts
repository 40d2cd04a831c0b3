import { ErrorCodes, NightshiftError, type UsageGrouping } from '@nightshift/protocol';
import type { Router } from '../http/router.js';
import type { ApiServices } from '../services.js';

const GROUPINGS: readonly UsageGrouping[] = ['process', 'day', 'region'];
/** The window when `since` is not given: the last 30 days (issue 18's `--since 30d`). */
const DEFAULT_WINDOW_MS = 30 * 86_400_000;

export function usageRoutes(r: Router, s: ApiServices): void {
  // `since`/`until` are epoch ms (the CLI converts `30d` and ISO times); the window is [since, until).
  r.get('/apps/:app/usage', (c) => {
    const app = s.apps.known(c.param('app'));
    const untilText = c.query('until');
    const until = untilText ? epoch(untilText, 'until') : s.usageReports.now();
    const sinceText = c.query('since');
    const since = sinceText ? epoch(sinceText, 'since') : until - DEFAULT_WINDOW_MS;
    if (since >= until) {
      throw new NightshiftError(
        ErrorCodes.usageRangeInvalid,
        `the window ends (${new Date(until).toISOString()}) before it starts (${new Date(since).toISOString()})`,
      );
    }
    const by = (c.query('by') || 'process') as UsageGrouping;
    if (!GROUPINGS.includes(by)) {
      throw new NightshiftError(
        ErrorCodes.usageRangeInvalid,
        `usage cannot be grouped by "${by}"`,
        'use `by=process`, `by=day` or `by=region`',
      );
    }
    const periods = c.query('periods');
    return c.json(
      s.usageReports.report(app, { since, until, by, withPeriods: periods === '1' || periods === 'true' }),
    );
  });
}

function epoch(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new NightshiftError(
      ErrorCodes.usageRangeInvalid,
      `${name} "${text}" is not a time in epoch milliseconds`,
      'the CLI converts `--since 30d` or an ISO time; the API takes epoch milliseconds',
    );
  }
  return n;
}
