import { rm } from 'node:fs/promises';
import * as store from '../store/index.js';

/**
 * Keeps the live release and the newest `keep` others; older folders, build logs and rows go. A release still
 * in use (a cron run started from it) is kept until a later prune.
 */
export async function pruneReleases(
  db: store.Db,
  app: string,
  live: number,
  keep: number,
  inUse?: (app: string, version: number) => boolean,
): Promise<void> {
  const others = store.listReleases(db, app).filter((r) => r.version !== live);
  for (const old of others.slice(keep)) {
    if (inUse?.(app, old.version)) continue;
    await rm(old.path, { recursive: true, force: true });
    await rm(`${old.path}.build.log`, { force: true });
    store.deleteRelease(db, app, old.version);
  }
}
