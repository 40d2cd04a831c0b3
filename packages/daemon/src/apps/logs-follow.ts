import type { AppSpec } from '@nightshift/manifest';
import type { EventBus } from '../events/index.js';
import type { AppRetention } from '../logs/index.js';
import type { LiveRelease } from '../releases/live.js';

/**
 * What the live release's manifest asks the daemon to keep of the app's logs. Releases built before the
 * manifest had a `logs` block have none stored: the daemon's defaults apply to them.
 */
export function retentionOf(spec: AppSpec): AppRetention | null {
  return (spec as Partial<AppSpec>).logs ?? null;
}

/**
 * Log retention follows the live release: every deploy and rollback applies its manifest's `logs` block (restore
 * applies it at start). Returns the unsubscribe.
 */
export function logRetentionFollowsLiveRelease(
  bus: EventBus,
  liveRelease: (app: string) => LiveRelease | null,
  setRetention: (app: string, own: AppRetention | null) => void,
): () => void {
  return bus.subscribe((e) => {
    if (e.type !== 'deploy:finished' && e.type !== 'rollback') return;
    const live = liveRelease(e.app);
    if (live) setRetention(e.app, retentionOf(live.spec));
  });
}
