import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { Router } from '../http/router.js';
import type { ApiServices } from '../services.js';

export function metricRoutes(r: Router, s: ApiServices): void {
  // `process` and `replica` narrow the series (`replica` is `2` or `emails.2`); `since` is epoch ms (the CLI
  // converts `1h`), `step` seconds.
  r.get('/apps/:app/metrics', (c) => {
    const app = s.apps.known(c.param('app'));
    const replica = c.query('replica') || null;
    let process = c.query('process') || null;
    let idx: number | null = null;
    if (replica !== null) {
      const dot = replica.lastIndexOf('.');
      if (dot > 0) process ??= replica.slice(0, dot);
      idx = whole(replica.slice(dot + 1), 'replica', 1, '`replica=2` or `replica=emails.2`');
    }
    if (process !== null) s.supervisor.processSpec(app, process);
    const since = c.query('since');
    const step = c.query('step');
    return c.json(
      s.usage.series(app, {
        process,
        idx,
        since: since ? whole(since, 'since', 0, 'epoch milliseconds (the CLI converts `1h`)') : null,
        stepSeconds: step ? whole(step, 'step', 1, 'seconds between points, e.g. `step=60`') : null,
      }),
    );
  });
}

function whole(text: string, name: string, min: number, hint: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    throw new NightshiftError(
      ErrorCodes.badRequest,
      `${name} "${text}" is not a whole number ≥ ${min}`,
      hint,
    );
  }
  return n;
}
