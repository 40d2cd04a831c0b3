import type { GuardEvidence } from '../events/index.js';
import { loadRelease } from '../releases/load.js';
import type { LiveRelease } from '../releases/live.js';
import * as store from '../store/index.js';
import type { AppsDeps } from './deps.js';
import type { Evidence, Trip } from './pure/guard.js';
import { switchTo } from './switch.js';

/**
 * The guard tripped on `version` (in the app's turn, still live): the previous good release goes back with the
 * normal rolling switch, and `version` is marked `failed` (rolled back by guard). The restore itself is not watched: a
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
  const target = previousGood(deps, app, version);
  const proof = evidenceData(trip, evidence);
  // Tripped with nothing to go back to: the release stays live (and a possible rollback target's status
  // untouched) rather than leaving the app with nothing; the verdict is recorded and said.
  const cannot = (why: string) => {
    store.endGuard(db, app, version, 'failed', `${trip.reason}; ${why}`);
    bus.emit({
      type: 'deploy:guard-failed',
      app,
      message: `${release} failed the deploy guard (${trip.reason}), but ${why}: it stays live`,
      data: { release, reason: trip.reason, restoreError: why, evidence: proof },
    });
  };
  if (!target) return cannot('there is no earlier good release to go back to');
  try {
    deps.preflight(target.spec);
    // `version` stays a good release until the switch has worked: a switch that cannot start the target
    // puts `version` back, and only a good release can be put back.
    await switchTo(deps, app, target, version, () => Promise.resolve());
  } catch (err) {
    // switchTo put `version` back when the target could not start; an error before that must not leave the
    // store naming a release that does not run.
    store.setLiveRelease(db, app, version);
    return cannot(`v${target.version} could not be restored: ${(err as Error).message}`);
  }
  store.failRelease(db, app, version, 'rolled back by guard');
  store.endGuard(db, app, version, 'rolled-back', trip.reason);
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
    data: { release, restored: `v${target.version}`, reason: trip.reason, evidence: proof },
  });
}

/**
 * The release live before `version` when it is still good and kept, else the newest good one before it. A
 * `rollback` the user asks for may still name any built release.
 */
function previousGood(deps: AppsDeps, app: string, version: number): LiveRelease | null {
  const { db, basePath } = deps;
  const good = (v: number | null | undefined) => {
    if (v === null || v === undefined || v === version) return null;
    const row = store.getRelease(db, app, v);
    // A release that failed the guard itself (with nothing to go back to then) is not good to go back to.
    if (row?.status !== 'succeeded' || row.guard === 'failed') return null;
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

function evidenceData(trip: Trip, evidence: Evidence): GuardEvidence {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    subject: trip.subject,
    exits: (trip.replica?.exits ?? []).map((e) => ({ ...e, at: iso(e.at) })),
    probeErrors: (trip.replica?.probeErrors ?? []).map((p) => ({ ...p, at: iso(p.at) })),
    lastLines: [...(trip.replica?.lastLines ?? [])],
    cron: evidence.cron.map((c) => ({ ...c, at: iso(c.at) })),
  };
}
