import type { Router } from '../http/router.js';
import { sendSse } from '../http/stream.js';
import type { CronRunRequest } from '@nightshift/protocol';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { LogLine } from '../../logs/index.js';
import { toRunEntry } from '../../scheduler/entries.js';
import type { ApiServices } from '../services.js';
import { readJson } from '../validate.js';
import { toLogEntry } from './logs.js';

/**
 * Cron (DESIGN §5, §7): the live release's jobs, a job's history, Run now, cancel, suspend/resume (one job or
 * all of them), and a run's logs —
 * stored, or followed live until the run ends (SSE `line` events, then one `end` event with the run).
 */
export function cronRoutes(r: Router, s: ApiServices): void {
  const known = (app: string) => {
    if (!s.supervisor.hasApp(app)) {
      throw new NightshiftError(
        ErrorCodes.appNotFound,
        `no app "${app}" runs on this daemon`,
        'deploy it first with `nightshift up`, or list apps with `nightshift apps`',
      );
    }
    return app;
  };

  r.get('/apps/:app/cron', (c) => c.json(s.scheduler.list(known(c.param('app')))));
  r.get('/cron', (c) =>
    c.json(
      s.apps
        .list()
        .filter((a) => s.supervisor.hasApp(a.name))
        .map((a) => ({ app: a.name, jobs: s.scheduler.list(a.name) })),
    ),
  );

  r.get('/apps/:app/cron/jobs/:job/history', (c) => {
    const text = c.query('n') ?? '20';
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1)
      throw new NightshiftError(
        ErrorCodes.badRequest,
        `n "${text}" is not a positive whole number`,
        'e.g. -n 50',
      );
    return c.json(s.scheduler.history(known(c.param('app')), c.param('job'), Math.min(n, 10_000)));
  });

  r.post('/apps/:app/cron/jobs/:job/run', async (c) => {
    const body = await readJson<CronRunRequest>(
      c,
      (b) => b.force === undefined || typeof b.force === 'boolean',
      '{ "force": false }',
    );
    return c.json(s.scheduler.runNow(known(c.param('app')), c.param('job'), body.force ?? false));
  });

  r.post('/apps/:app/cron/jobs/:job/suspend', (c) =>
    c.json(s.scheduler.suspend(known(c.param('app')), c.param('job'))),
  );
  r.post('/apps/:app/cron/jobs/:job/resume', (c) =>
    c.json(s.scheduler.resume(known(c.param('app')), c.param('job'))),
  );

  r.post('/apps/:app/cron/jobs/:job/cancel', async (c) =>
    c.json(await s.scheduler.cancel(known(c.param('app')), c.param('job'))),
  );
  r.post('/apps/:app/cron/suspend', (c) => c.json(s.scheduler.setAllSuspended(known(c.param('app')), true)));
  r.post('/apps/:app/cron/resume', (c) => c.json(s.scheduler.setAllSuspended(known(c.param('app')), false)));

  r.get('/apps/:app/cron/runs/:id', (c) =>
    c.json(toRunEntry(s.scheduler.run(c.param('app'), c.param('id')))),
  );

  r.get('/apps/:app/cron/runs/:id/logs', async (c) => {
    const run = s.scheduler.run(c.param('app'), c.param('id'));
    const lines = run.logPath ? await s.logs.readRunLog(run.logPath) : [];
    return c.json(lines.map(toLogEntry));
  });

  r.get('/apps/:app/cron/runs/:id/logs/stream', (c) => {
    const app = c.param('app');
    const id = c.param('id');
    const first = s.scheduler.run(app, id);
    return sendSse(c, async (stream) => {
      // Subscribe before reading the file, so no line falls between the two; ids drop what both delivered.
      const pending: LogLine[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = s.logs.subscribe(
        { app, process: 'cron', source: `cron:${first.job}#${first.id}` },
        (line) => {
          pending.push(line);
          wake?.();
        },
      );
      let ended = false;
      const finished = s.scheduler.waitForRun(first.id).then(() => {
        ended = true;
        wake?.();
      });
      stream.onAbort(() => {
        ended = true;
        wake?.();
      });
      try {
        let last = -1;
        const send = async (line: LogLine) => {
          if (Number(line.id) <= last) return;
          last = Number(line.id);
          await stream.writeSSE({ id: line.id, event: 'line', data: JSON.stringify(toLogEntry(line)) });
        };
        const path = s.scheduler.run(app, id).logPath;
        for (const line of path ? await s.logs.readRunLog(path) : []) await send(line);
        while (!ended || pending.length > 0) {
          const line = pending.shift();
          if (line) await send(line);
          else await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
        }
        // Out of the loop either because the run ended (send its record) or because the client left.
        if (!stream.aborted) {
          await finished;
          await stream.writeSSE({ event: 'end', data: JSON.stringify(toRunEntry(s.scheduler.run(app, id))) });
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
