import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { AppsDeps } from './deps.js';

/**
 * Rolling restart of one process, or of every process (one replica at a time), in the app's turn. Throws
 * NS_SPAWN_FAILED when a replica could not be started again: the restart stopped at it and the replicas
 * after it still run as they were.
 */
export async function restartProcesses(deps: AppsDeps, app: string, process?: string): Promise<void> {
  const { failures } = await deps.queue.run(app, () => deps.supervisor.restart(app, process));
  const failure = failures[0];
  if (failure) {
    throw new NightshiftError(
      ErrorCodes.spawnFailed,
      `${app}/${failure.replica} could not be started again (${failure.error}); the restart stopped there and the other replicas keep running; ${failure.replica} retries with backoff`,
      'fix what the error names (a missing program, too many open files), then `nightshift restart` again',
    );
  }
}

/** `nightshift restart [PROC]`: the rolling restart, then its event. */
export async function restart(deps: AppsDeps, app: string, process?: string): Promise<void> {
  await restartProcesses(deps, app, process);
  deps.bus.emit({
    type: 'process:restarted',
    app,
    ...(process ? { process } : {}),
    message: `${process ?? 'all processes'} restarted`,
    data: {},
  });
}
