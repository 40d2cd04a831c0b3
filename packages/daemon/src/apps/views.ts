import {
  ErrorCodes,
  NightshiftError,
  type AppEntry,
  type ReleaseEntry,
  type ReleaseOutcome,
} from '@nightshift/protocol';
import * as store from '../store/index.js';
import type { Supervisor } from '../supervisor/supervisor.js';

/** Every app with its live release and how many processes and replicas it runs. */
export function listApps(db: store.Db, supervisor: Supervisor): AppEntry[] {
  return store.listApps(db).map((a) => {
    const ps = supervisor.ps(a.name);
    return {
      name: a.name,
      release: a.liveRelease === null ? null : `v${a.liveRelease}`,
      createdAt: new Date(a.createdAt).toISOString(),
      processes: new Set(ps.map((p) => p.process)).size,
      replicas: ps.length,
    };
  });
}

/** An app's releases, newest first, the live one marked, each with its outcome and the guard's verdict. */
export function listReleases(db: store.Db, app: string): ReleaseEntry[] {
  const live = store.getApp(db, app)?.liveRelease ?? null;
  return store.listReleases(db, app).map((rel) => ({
    version: `v${rel.version}`,
    createdAt: new Date(rel.createdAt).toISOString(),
    source: rel.source,
    status: rel.status,
    live: rel.version === live,
    outcome: outcomeOf(rel, rel.version === live),
    guard:
      rel.guard === null
        ? null
        : {
            state: rel.guard,
            until: rel.guardUntil === null ? null : new Date(rel.guardUntil).toISOString(),
            reason: rel.guardReason,
          },
  }));
}

function outcomeOf(rel: store.ReleaseRow, live: boolean): ReleaseOutcome {
  if (live) return 'live';
  if (rel.status === 'building') return 'building';
  if (rel.status === 'succeeded') return rel.guard === 'failed' ? 'failed guard' : 'good';
  // Releases failed before outcomes were stored failed their build (the only failure there was).
  return rel.outcome ?? 'failed build';
}

/** `app` when the daemon knows it (deployed at least once), else `NS_APP_NOT_FOUND`. */
export function knownApp(db: store.Db, app: string): string {
  if (!store.getApp(db, app)) {
    throw new NightshiftError(
      ErrorCodes.appNotFound,
      `no app "${app}" on this daemon`,
      'list apps with `nightshift apps`; deploy one with `nightshift up`',
    );
  }
  return app;
}

/** `app` when it runs a live release, else `NS_APP_NOT_FOUND` or `NS_NO_RELEASE`. */
export function runningApp(db: store.Db, supervisor: Supervisor, app: string): string {
  knownApp(db, app);
  if (!supervisor.hasApp(app)) {
    throw new NightshiftError(
      ErrorCodes.noRelease,
      `app "${app}" has no live release`,
      'deploy it with `nightshift up` or `nightshift deploy`',
    );
  }
  return app;
}
