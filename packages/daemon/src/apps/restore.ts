import { loadRelease } from '../releases/load.js';
import * as store from '../store/index.js';
import type { AppsDeps } from './deps.js';
import { retentionOf } from './logs-follow.js';

/**
 * At daemon start, after the API answers: every app with a live release starts it again, each in its own turn
 * (a deploy or a scale that arrives meanwhile waits for it instead of racing it). An app whose secrets no
 * longer decrypt stays down, loudly; `stopping` says the daemon is going away and nothing should start.
 */
export function restoreApps(deps: AppsDeps, stopping: () => boolean): Promise<void[]> {
  const live = store.listApps(deps.db).filter((app) => app.liveRelease !== null);
  // Before anything runs, and before the daemon's first retention sweep: an app that keeps more than the
  // default must not lose its history to the default.
  for (const app of live) {
    try {
      const release = loadRelease(deps.db, deps.basePath, app.name, app.liveRelease!);
      if (release) deps.logs.setRetention(app.name, retentionOf(release.spec));
    } catch (err) {
      deps.onError(err);
    }
  }
  return Promise.all(
    live.map((app) => restoreApp(deps, app.name, app.liveRelease!, stopping).catch(deps.onError)),
  );
}

function restoreApp(deps: AppsDeps, app: string, version: number, stopping: () => boolean): Promise<void> {
  return deps.queue.run(app, async () => {
    if (store.getApp(deps.db, app)?.liveRelease !== version) return;
    const live = loadRelease(deps.db, deps.basePath, app, version);
    if (!live || !(!stopping() && deps.secrets.readable(live.spec))) return;
    // The Redis may have restarted without the users (an external one without an ACL file): re-applied first.
    if (live.spec.redis) await deps.redis.provision(app).catch(deps.onError);
    const { failures } = await deps.supervisor.activate(app, live);
    if (failures.length > 0) {
      deps.onError(
        new Error(
          `${app} v${version}: could not start ${failures.map((f) => `${f.replica}: ${f.error}`).join('; ')} (retrying with backoff)`,
        ),
      );
    }
    deps.cron.activate(app, live);
  });
}
