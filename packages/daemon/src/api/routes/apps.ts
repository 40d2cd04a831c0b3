import type { Router } from '../http/router.js';
import { sendNdjson } from '../http/stream.js';
import { ErrorCodes, NightshiftError, toErrorBody, type AppEntry, type DeployRequest, type ReleaseEntry, type ScaleRequest } from '@nightshift/protocol';
import * as store from '../../store/index.js';
import { applyScale, manifestCount } from '../../supervisor/pure/formation.js';
import { checkReplicaLimits } from '../../supervisor/pure/limits.js';
import type { ApiServices } from '../services.js';
import { readJson } from '../validate.js';

export function appRoutes(r: Router, s: ApiServices): void {
  r.get('/apps', (c) => {
    const apps: AppEntry[] = store.listApps(s.db).map((a) => {
      const ps = s.supervisor.ps(a.name);
      return {
        name: a.name,
        release: a.liveRelease === null ? null : `v${a.liveRelease}`,
        createdAt: new Date(a.createdAt).toISOString(),
        processes: new Set(ps.map((p) => p.process)).size,
        replicas: ps.length,
      };
    });
    return c.json(apps);
  });

  // With `accept: application/x-ndjson` the build's lines stream as they happen, then the result.
  r.post('/deploy', async (c) => {
    const body = await readJson<DeployRequest>(c, (b) => typeof b.dir === 'string' && b.dir.startsWith('/'), '{ "dir": "/absolute/path" }');
    const opts = { dir: body.dir, manifest: body.manifest, ref: body.ref };
    if (!(c.header('accept') ?? '').includes('application/x-ndjson')) return c.json(await s.releases.deploy(opts));
    return sendNdjson(c, async (out) => {
      try {
        const result = await s.releases.deploy({ ...opts, onLine: (line) => void out.send({ type: 'line', line }) });
        await out.send({ type: 'result', result });
      } catch (err) {
        await out.send({ type: 'error', ...toErrorBody(err) });
      }
    });
  });

  r.post('/apps/:app/rollback', async (c) => {
    const app = running(s, c.param('app'));
    const body = await readJson<{ release?: string }>(c, (b) => b.release === undefined || (typeof b.release === 'string' && /^v?\d+$/.test(b.release)), '{ "release": "v3" }');
    const target = body.release === undefined ? undefined : Number(body.release.replace(/^v/, ''));
    return c.json(await s.releases.rollback(app, target));
  });

  r.get('/ps', (c) => c.json({ replicas: s.supervisor.ps(), processes: [] }));

  r.get('/apps/:app/ps', (c) => {
    const app = known(s, c.param('app'));
    return c.json({ replicas: s.supervisor.ps(app), processes: s.supervisor.summary(app).map((p) => ({ app, ...p })) });
  });

  r.get('/apps/:app/releases', (c) => {
    const app = known(s, c.param('app'));
    const live = store.getApp(s.db, app)?.liveRelease ?? null;
    const releases: ReleaseEntry[] = store.listReleases(s.db, app).map((rel) => ({
      version: `v${rel.version}`,
      createdAt: new Date(rel.createdAt).toISOString(),
      source: rel.source,
      status: rel.status,
      live: rel.version === live,
    }));
    return c.json(releases);
  });

  r.post('/apps/:app/scale', async (c) => {
    const app = running(s, c.param('app'));
    const body = await readJson<ScaleRequest>(c, (b) => Array.isArray(b.changes) && b.changes.length > 0, '{ "changes": [{ "process": "emails", "op": "=", "count": 4 }] }');
    const result = await s.supervisor.serialize(app, () => {
      const summary = new Map(s.supervisor.summary(app).map((p) => [p.process, p]));
      const changes = body.changes.map((ch) => {
        const proc = s.supervisor.processSpec(app, ch.process);
        if (!Number.isInteger(ch.count) || ch.count < 0) {
          throw new NightshiftError(ErrorCodes.scaleInvalid, `scale count for ${ch.process} must be a whole number ≥ 0`, 'e.g. `nightshift scale emails=4`');
        }
        const from = summary.get(ch.process)?.desired ?? 0;
        const to = applyScale(from, ch.op, ch.count);
        if (proc.kind === 'web' && to > 1) {
          throw new NightshiftError(ErrorCodes.scaleInvalid, 'the local driver runs one web replica', 'more web replicas are possible in the Kubernetes render (`nightshift render kubernetes`)');
        }
        return { proc, from, to };
      });
      const after = new Map([...summary.values()].map((p) => [p.process, p.desired]));
      for (const { proc, to } of changes) after.set(proc.name, to);
      checkReplicaLimits(app, [...after].map(([process, count]) => ({ process, count })), s.supervisor.desiredElsewhere(app), s.replicaLimits, 'scale');
      for (const { proc, from, to } of changes) {
        store.setScaled(s.db, app, proc.name, to, manifestCount(proc));
        s.bus.emit({ type: 'process:scaled', app, process: proc.name, message: `${proc.name} scaled ${from} → ${to}`, data: { from, to } });
      }
      s.supervisor.reconcile(app);
      return Promise.resolve(changes.map(({ proc, from, to }) => ({ process: proc.name, from, to })));
    });
    return c.json(result);
  });

  r.post('/apps/:app/restart', async (c) => {
    const app = running(s, c.param('app'));
    const body = await readJson<{ process?: string }>(c, (b) => b.process === undefined || typeof b.process === 'string', '{ "process": "emails" }');
    await s.supervisor.serialize(app, () => s.supervisor.restart(app, body.process));
    s.bus.emit({ type: 'process:restarted', app, ...(body.process ? { process: body.process } : {}), message: `${body.process ?? 'all processes'} restarted`, data: {} });
    return c.json({ restarted: body.process ?? 'all' });
  });

  for (const action of ['stop', 'start'] as const) {
    r.post(`/apps/:app/${action}`, async (c) => {
      const app = running(s, c.param('app'));
      const body = await readJson<{ process: string }>(c, (b) => typeof b.process === 'string', '{ "process": "emails" }');
      await s.supervisor.serialize(app, () => {
        s.supervisor.processSpec(app, body.process);
        store.setStopped(s.db, app, body.process, action === 'stop');
        s.supervisor.reconcile(app);
        return Promise.resolve();
      });
      s.bus.emit({ type: action === 'stop' ? 'process:stopped' : 'process:started', app, process: body.process, message: `${body.process} ${action === 'stop' ? 'stopped' : 'started'}`, data: {} });
      return c.json({ process: body.process, stopped: action === 'stop' });
    });
  }

  r.delete('/apps/:app', async (c) => {
    const app = known(s, c.param('app'));
    await s.destroyApp(app);
    return c.json({ destroyed: app });
  });
}

function known(s: ApiServices, app: string): string {
  if (!store.getApp(s.db, app)) {
    throw new NightshiftError(ErrorCodes.appNotFound, `no app "${app}" on this daemon`, 'list apps with `nightshift apps`; deploy one with `nightshift up`');
  }
  return app;
}

function running(s: ApiServices, app: string): string {
  known(s, app);
  if (!s.supervisor.hasApp(app)) {
    throw new NightshiftError(ErrorCodes.noRelease, `app "${app}" has no live release`, 'deploy it with `nightshift up` or `nightshift deploy`');
  }
  return app;
}
