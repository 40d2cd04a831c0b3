import type { EventMap } from '../events/index.js';
import { loadRelease } from '../releases/load.js';
import type { LiveRelease } from '../releases/live.js';
import * as store from '../store/index.js';
import type { AppsDeps } from './deps.js';
import type { Evidence, Trip } from './pure/guard.js';
import { switchTo } from './switch.js';

/**
 * The guard tripped on `version` (in the app's turn, still live): it is marked `failed` (rolled back by guard)
 * and the previous good release goes back with the normal rolling switch. The restore itself is not watched: a
 * guard that watched its own rollback could walk an app back through every release it has.
 * `deploy:rolled-back` carries the evidence; a `rollback` event lets everything that follows the live release
 * (cron, log retention, staged config) follow this one too.
 */
export async function restoreGood(
  deps: AppsDeps,
  app: string,
  version: number,
  trip: Trip,
  evidence: Evidence,
): Promise<void> {
  const { db, bus } = deps;
  const release = `v${version}`;
  store.failRelease(db, app, version, 'rolled back by guard');
  store.endGuard(db, app, version, 'rolled-back', trip.reason);
  const target = previousGood(deps, app, version);
  const data: EventMap['deploy:rolled-back'] = {
    release,
    restored: target ? `v${target.version}` : null,
    reason: trip.reason,
    evidence: evidenceData(trip, evidence),
  };
  if (!target) {
    bus.emit({
      type: 'deploy:rolled-back',
      app,
      message: `${release} failed the deploy guard (${trip.reason}); there is no earlier good release to go back to, so it keeps running`,
      data,
    });
    return;
  }
  try {
    deps.preflight(target.spec);
    await switchTo(deps, app, target, version, () => Promise.resolve());
  } catch (err) {
    bus.emit({
      type: 'deploy:rolled-back',
      app,
      message: `${release} failed the deploy guard (${trip.reason}), but v${target.version} could not be restored: ${(err as Error).message}`,
      data: { ...data, restored: null },
    });
    return;
  }
  bus.emit({
    type: 'rollback',
    app,
    message: `the deploy guard rolled back from ${release} to v${target.version}`,
    data: { release: `v${target.version}`, previous: release },
  });
  bus.emit({
    type: 'deploy:rolled-back',
    app,
    message: `the deploy guard rolled ${release} back to v${target.version}: ${trip.reason}`,
    data,
  });
}

/** The release live before `version` when it is still good and kept, else the newest good one before it. */
function previousGood(deps: AppsDeps, app: string, version: number): LiveRelease | null {
  const { db, basePath } = deps;
  const good = (v: number | null | undefined) => {
    if (v === null || v === undefined || v === version) return null;
    if (store.getRelease(db, app, v)?.status !== 'succeeded') return null;
    return loadRelease(db, basePath, app, v);
  };
  const first = good(store.getRelease(db, app, version)?.guardPrevious);
  if (first) return first;
  for (const r of store.listReleases(db, app)) {
    if (r.version >= version) continue;
    const candidate = good(r.version);
    if (candidate) return candidate;
  }
  return null;
}

function evidenceData(trip: Trip, evidence: Evidence): EventMap['deploy:rolled-back']['evidence'] {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    subject: trip.subject,
    exits: (trip.replica?.exits ?? []).map((e) => ({ ...e, at: iso(e.at) })),
    probeErrors: (trip.replica?.probeErrors ?? []).map((p) => ({ ...p, at: iso(p.at) })),
    lastLines: [...(trip.replica?.lastLines ?? [])],
    cron: evidence.cron.map((c) => ({ ...c, at: iso(c.at) })),
  };
}
