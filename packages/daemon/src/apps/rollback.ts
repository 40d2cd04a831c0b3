import { existsSync } from 'node:fs';
import { ErrorCodes, NightshiftError, type RollbackResponse } from '@nightshift/protocol';
import { loadRelease } from '../releases/load.js';
import * as store from '../store/index.js';
import type { AppsDeps } from './deps.js';
import type { DeployGuard } from './guard.js';
import { switchTo } from './switch.js';

/**
 * Makes an earlier release live again (default: the newest good one before the live one). No rebuild. The
 * release rolled back to is watched by the deploy guard like a deploy.
 */
export function rollback(
  deps: AppsDeps,
  guard: DeployGuard,
  app: string,
  target?: number,
): Promise<RollbackResponse> {
  return deps.queue.run(app, async () => {
    const { db, bus } = deps;
    const live = store.getApp(db, app)?.liveRelease ?? null;
    if (live === null) {
      throw new NightshiftError(
        ErrorCodes.noRelease,
        `app "${app}" has no live release to roll back from`,
        'deploy it first',
      );
    }
    const candidates = store
      .listReleases(db, app)
      .filter((r) => r.status === 'succeeded' && r.version !== live);
    const version = target ?? candidates.find((r) => r.version < live)?.version;
    const release = version === undefined ? null : loadRelease(db, deps.basePath, app, version);
    if (version === undefined || !release) {
      const kept = candidates.filter((r) => existsSync(r.path)).map((r) => `v${r.version}`);
      throw new NightshiftError(
        ErrorCodes.noRelease,
        version === undefined
          ? `${app} has no earlier good release`
          : `v${version} of ${app} is not a good release that is still kept`,
        kept.length ? `releases you can roll back to: ${kept.join(', ')}` : 'deploy a fix instead',
      );
    }
    if (version === live) {
      throw new NightshiftError(
        ErrorCodes.badRequest,
        `v${version} is already live`,
        'name another release, e.g. `nightshift rollback v3`',
      );
    }
    // The release's manifest may list a secret removed since: refuse like a deploy would.
    deps.preflight(release.spec);
    guard.begin(app, release, live);
    await switchTo(deps, app, release, live, () => {
      guard.abandon(app, release.version);
      return Promise.resolve();
    });
    bus.emit({
      type: 'rollback',
      app,
      message: `rolled back from v${live} to v${version}`,
      data: { release: `v${version}`, previous: `v${live}` },
    });
    const window = guard.switched(app, version);
    return {
      app,
      release: `v${version}`,
      previous: `v${live}`,
      guard: window ? { watchMs: window.watchMs, until: new Date(window.until).toISOString() } : null,
    };
  });
}
