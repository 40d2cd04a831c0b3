import type { Router } from '../http/router.js';
import { sendNdjson } from '../http/stream.js';
import {
  toErrorBody,
  type AutoscaleBoundsRequest,
  type DeployRequest,
  type ScaleRequest,
} from '@nightshift/protocol';
import type { ApiServices } from '../services.js';
import { readJson } from '../validate.js';

export function appRoutes(r: Router, s: ApiServices): void {
  r.get('/apps', (c) => c.json(s.apps.list()));

  // With `accept: application/x-ndjson` the build's lines stream as they happen, then the result.
  r.post('/deploy', async (c) => {
    const body = await readJson<DeployRequest>(
      c,
      (b) => typeof b.dir === 'string' && b.dir.startsWith('/'),
      '{ "dir": "/absolute/path" }',
    );
    const opts = { dir: body.dir, manifest: body.manifest, ref: body.ref };
    if (!(c.header('accept') ?? '').includes('application/x-ndjson'))
      return c.json(await s.apps.deploy(opts));
    return sendNdjson(c, async (out) => {
      try {
        const result = await s.apps.deploy({
          ...opts,
          onLine: (line) => void out.send({ type: 'line', line }),
        });
        await out.send({ type: 'result', result });
      } catch (err) {
        await out.send({ type: 'error', ...toErrorBody(err) });
      }
    });
  });

  r.post('/apps/:app/rollback', async (c) => {
    const app = s.apps.running(c.param('app'));
    const body = await readJson<{ release?: string }>(
      c,
      (b) => b.release === undefined || (typeof b.release === 'string' && /^v?\d+$/.test(b.release)),
      '{ "release": "v3" }',
    );
    const target = body.release === undefined ? undefined : Number(body.release.replace(/^v/, ''));
    return c.json(await s.apps.rollback(app, target));
  });

  // Every running app's processes too: the dashboard's overview reads them in this one request.
  r.get('/ps', (c) =>
    c.json({
      replicas: s.usage.withUsage(s.supervisor.ps()),
      processes: s.apps
        .list()
        .filter((a) => s.supervisor.hasApp(a.name))
        .flatMap((a) => summaryWithBounds(s, a.name)),
      ...warnings(s),
    }),
  );

  r.get('/apps/:app/ps', (c) => {
    const app = s.apps.known(c.param('app'));
    return c.json({
      replicas: s.usage.withUsage(s.supervisor.ps(app)),
      processes: summaryWithBounds(s, app),
      ...warnings(s),
    });
  });

  r.get('/apps/:app/releases', (c) => {
    const app = s.apps.known(c.param('app'));
    return c.json(s.apps.releases(app));
  });

  r.post('/apps/:app/scale', async (c) => {
    const app = s.apps.running(c.param('app'));
    const body = await readJson<ScaleRequest>(
      c,
      (b) => Array.isArray(b.changes) && b.changes.length > 0,
      '{ "changes": [{ "process": "emails", "op": "=", "count": 4 }] }',
    );
    return c.json(await s.apps.scale(app, body.changes));
  });

  r.get('/apps/:app/autoscale', (c) => {
    const app = s.apps.running(c.param('app'));
    const process = c.query('process');
    if (process !== undefined) s.supervisor.processSpec(app, process);
    return c.json(s.autoscaler.view(app, process));
  });

  r.post('/apps/:app/autoscale', async (c) => {
    const app = s.apps.running(c.param('app'));
    const body = await readJson<AutoscaleBoundsRequest>(
      c,
      (b) =>
        typeof b.process === 'string' &&
        (b.min === undefined || typeof b.min === 'number') &&
        (b.max === undefined || typeof b.max === 'number') &&
        (b.min !== undefined || b.max !== undefined),
      '{ "process": "emails", "min": 1, "max": 6 }',
    );
    return c.json(await s.apps.setAutoscaleBounds(app, body.process, body));
  });

  r.post('/apps/:app/restart', async (c) => {
    const app = s.apps.running(c.param('app'));
    const body = await readJson<{ process?: string }>(
      c,
      (b) => b.process === undefined || typeof b.process === 'string',
      '{ "process": "emails" }',
    );
    await s.apps.restart(app, body.process);
    return c.json({ restarted: body.process ?? 'all' });
  });

  for (const action of ['stop', 'start'] as const) {
    r.post(`/apps/:app/${action}`, async (c) => {
      const app = s.apps.running(c.param('app'));
      const body = await readJson<{ process: string }>(
        c,
        (b) => typeof b.process === 'string',
        '{ "process": "emails" }',
      );
      await s.apps.setStopped(app, body.process, action === 'stop');
      return c.json({ process: body.process, stopped: action === 'stop' });
    });
  }

  r.delete('/apps/:app', async (c) => {
    const app = s.apps.known(c.param('app'));
    await s.apps.destroy(app);
    return c.json({ destroyed: app });
  });
}

function warnings(s: ApiServices): { warnings?: string[] } {
  const list = s.redisWarnings();
  return list.length > 0 ? { warnings: list } : {};
}

/** The process summary of `ps`, with the bounds of each autoscaled process (`auto 2/1–6`). */
function summaryWithBounds(s: ApiServices, app: string) {
  const bounds = s.supervisor.hasApp(app) ? s.autoscaler.boundsOf(app) : new Map<string, never>();
  return s.supervisor.summary(app).map((p) => {
    const b = bounds.get(p.process);
    return b ? { app, ...p, autoscale: b } : { app, ...p };
  });
}
