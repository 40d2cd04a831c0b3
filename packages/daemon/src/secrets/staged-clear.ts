import type { EventBus } from '../events/index.js';
import type { StagedChanges } from './staged.js';

/**
 * A `--no-restart` change is staged until every process of the app starts again with the current values: a
 * deploy, a rollback or a restart of all its processes. Returns the unsubscribe.
 */
export function clearStagedOnWholeRestart(bus: EventBus, staged: StagedChanges): () => void {
  return bus.subscribe((event) => {
    const whole =
      event.type === 'deploy:finished' ||
      event.type === 'rollback' ||
      (event.type === 'process:restarted' && event.process === undefined);
    if (whole) staged.clear(event.app);
  });
}
