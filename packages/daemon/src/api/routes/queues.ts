import type { BodyOf } from '@nightshift/protocol';
import type { routes } from '@nightshift/protocol/routes';
import type { Router } from '../http/router.js';
import type { ApiServices } from '../services.js';
import { readJson } from '../validate.js';

/** An app's BullMQ queues: the table with counts, pause/resume, retry failed, clean finished, cancel waiting. */
export function queueRoutes(r: Router, s: ApiServices): void {
  r.get('/apps/:app/queues', async (c) => {
    const app = s.apps.known(c.param('app'));
    return c.json(await s.queues.list(app));
  });

  for (const action of ['pause', 'resume'] as const) {
    r.post(`/apps/:app/queues/:queue/${action}`, async (c) => {
      const app = s.apps.known(c.param('app'));
      return c.json(await s.queues.setPaused(app, c.param('queue'), action === 'pause'));
    });
  }

  r.post('/apps/:app/queues/:queue/retry', async (c) => {
    const app = s.apps.known(c.param('app'));
    const queue = c.param('queue');
    const body = await readJson<BodyOf<typeof routes.queueRetry>>(c, () => true, '{ "state": "failed" }');
    return c.json({ app, queue, retried: await s.queues.retryFailed(app, queue, body.limit) });
  });

  r.post('/apps/:app/queues/:queue/clean', async (c) => {
    const app = s.apps.known(c.param('app'));
    const queue = c.param('queue');
    const body = await readJson<BodyOf<typeof routes.queueClean>>(
      c,
      () => true,
      '{ "state": "completed", "olderThanMs": 86400000 }',
    );
    return c.json({ app, queue, removed: await s.queues.clean(app, queue, body.state, body.olderThanMs) });
  });

  r.post('/apps/:app/queues/:queue/cancel', async (c) => {
    const app = s.apps.known(c.param('app'));
    const queue = c.param('queue');
    const body = await readJson<BodyOf<typeof routes.queueCancel>>(
      c,
      () => true,
      '{ "state": "waiting", "match": { "path": "data.tenant", "value": "acme" }, "dryRun": true }',
    );
    const dryRun = body.dryRun ?? false;
    const result = await s.queues.cancelWaiting(app, queue, body.match, dryRun);
    return c.json({ app, queue, ...result, dryRun });
  });
}
