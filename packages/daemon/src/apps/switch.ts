import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { loadRelease } from '../releases/load.js';
import type { LiveRelease } from '../releases/live.js';
import * as store from '../store/index.js';
import type { AppsDeps } from './deps.js';

/**
 * Makes `release` live (in the app's turn). When some of its replicas cannot be started at all, it is not live:
 * the previous release goes back (its replicas were kept where the switch had not reached them yet), `onFailed`
 * records the failure, and the caller gets an error naming each replica and why.
 */
export async function switchTo(
  deps: AppsDeps,
  app: string,
  release: LiveRelease,
  previous: number | null,
  onFailed: (reason: string) => Promise<void>,
): Promise<void> {
  const { db, supervisor } = deps;
  store.setLiveRelease(db, app, release.version);
  const { failures } = await supervisor.activate(app, release);
  if (failures.length === 0) return;
  const reason = `${failures.map((f) => `${f.replica}: ${f.error}`).join('; ')}`;
  const back = previous === null ? null : loadRelease(db, deps.basePath, app, previous);
  if (back) {
    store.setLiveRelease(db, app, back.version);
    const again = await supervisor.activate(app, back);
    if (again.failures.length > 0)
      deps.onError(
        new Error(
          `v${back.version} of ${app} did not come back everywhere: ${again.failures.map((f) => `${f.replica}: ${f.error}`).join('; ')}`,
        ),
      );
  } else {
    store.setLiveRelease(db, app, null);
    await supervisor.remove(app);
  }
  await onFailed(`could not start ${reason}`);
  throw new NightshiftError(
    ErrorCodes.deployStartFailed,
    `v${release.version} of ${app} could not start ${reason}; ${back ? `v${back.version} stays live` : 'nothing of it runs'}`,
    'fix what the error names (a missing command, an environment too large for the OS, too many open files) and deploy again',
  );
}
