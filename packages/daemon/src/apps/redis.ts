import { ErrorCodes, NightshiftError, type RedisInfo } from '@nightshift/protocol';
import type { ActivationFailure } from '../supervisor/rollout.js';
import type { AppsDeps } from './deps.js';

/** `nightshift redis rotate` in the app's turn: new password, rolling restart, old password removed. */
export function rotateRedis(deps: AppsDeps, app: string): Promise<void> {
  return deps.queue.run(app, async () => {
    redisApp(deps, app);
    // The rolling restart runs inside this turn: a scale or deploy waits until the old password is gone.
    // A replica that cannot start again ends the restart early (supervisor.restart): the replicas after it
    // still run with the old password, so it is not removed, and the caller hears why.
    let failure: ActivationFailure | undefined;
    await deps.redis.rotate(app, async () => {
      failure = (await deps.supervisor.restart(app)).failures[0];
      return failure === undefined;
    });
    if (failure) {
      throw new NightshiftError(
        ErrorCodes.spawnFailed,
        `${app}/${failure.replica} could not be started again (${failure.error}); the rotation stopped there: the replicas restarted so far use the new Redis password, the others still run with the old one, which stays valid`,
        'fix what the error names, then `nightshift redis rotate` again to finish (the old password is removed only then)',
      );
    }
  });
}

/** `nightshift redis flush` in the app's turn: the app's keys only. */
export function flushRedis(deps: AppsDeps, app: string): Promise<number> {
  return deps.queue.run(app, async () => {
    redisApp(deps, app);
    return deps.redis.flush(app);
  });
}

/** `nightshift redis info`: read-only, so outside the app's turn. */
export function redisInfo(deps: AppsDeps, app: string): Promise<RedisInfo> {
  redisApp(deps, app);
  return deps.redis.info(app);
}

/** Throws `NS_REDIS_NOT_ENABLED` unless the app's live release sets `redis: true`. */
export function redisApp(deps: AppsDeps, app: string): void {
  if (deps.supervisor.liveRelease(app)?.spec.redis) return;
  throw new NightshiftError(
    ErrorCodes.redisNotEnabled,
    `${app}'s live release does not set \`redis: true\``,
    'set `redis: true` in the manifest and deploy',
  );
}
