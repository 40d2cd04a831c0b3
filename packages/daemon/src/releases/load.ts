import { existsSync } from 'node:fs';
import type { AppSpec } from '@nightshift/manifest';
import * as store from '../store/index.js';
import type { LiveRelease } from './live.js';
import { runtimeEnvOf } from './runtime-env.js';

/** The spec and folder of a stored, built release whose folder is still there, or null. */
export function loadRelease(
  db: store.Db,
  basePath: string,
  app: string,
  version: number,
): LiveRelease | null {
  const row = store.getRelease(db, app, version);
  if (!row?.specJson || row.status !== 'succeeded' || !existsSync(row.path)) return null;
  const stored = JSON.parse(row.specJson) as Omit<AppSpec, 'deploy'> & { deploy?: AppSpec['deploy'] };
  return {
    version,
    path: row.path,
    // Built before the deploy guard existed, its manifest was never read for `deploy`: it is not watched.
    spec: { ...stored, deploy: stored.deploy ?? { watchMs: 0, guardCron: false } },
    runtimeEnv: runtimeEnvOf(row.path, basePath),
  };
}
