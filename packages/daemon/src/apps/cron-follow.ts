import type { EventBus } from '../events/index.js';
import type { LiveRelease } from '../releases/live.js';

/**
 * Cron jobs follow the live release: every deploy and rollback syncs them (new or changed jobs start their
 * cursor at now). Returns the unsubscribe.
 */
export function cronFollowsLiveRelease(
  bus: EventBus,
  liveRelease: (app: string) => LiveRelease | null,
  activate: (app: string, live: LiveRelease) => void,
): () => void {
  return bus.subscribe((e) => {
    if (e.type !== 'deploy:finished' && e.type !== 'rollback') return;
    const live = liveRelease(e.app);
    if (live) activate(e.app, live);
  });
}
