import type { AppsDeps } from './deps.js';

/** Rolling restart of one process, or of every process (one replica at a time), in the app's turn. */
export function restartProcesses(deps: AppsDeps, app: string, process?: string): Promise<void> {
  return deps.queue.run(app, () => deps.supervisor.restart(app, process));
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
