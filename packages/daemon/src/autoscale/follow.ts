import type { EventBus } from '../events/index.js';
import type { LiveRelease } from '../releases/live.js';
import { processesOf } from '../supervisor/processes.js';
import type { Autoscaler } from './autoscaler.js';
import type { AutoscaleBounds } from './bounds.js';

/**
 * `scale --min/--max` bounds hold "until the next deploy changes the manifest's": after every deploy and
 * rollback, the overrides whose manifest bounds changed end, each with a timeline entry. Returns the unsubscribe.
 */
export function boundsFollowLiveRelease(
  bus: EventBus,
  bounds: AutoscaleBounds,
  liveRelease: (app: string) => LiveRelease | null,
): () => void {
  return bus.subscribe((e) => {
    if (e.type !== 'deploy:finished' && e.type !== 'rollback') return;
    const live = liveRelease(e.app);
    if (!live) return;
    for (const c of bounds.follow(e.app, processesOf(live.spec))) {
      bus.emit({
        type: 'autoscale:bounds-cleared',
        app: e.app,
        process: c.process,
        message: `${c.process} autoscale bounds ${c.min}–${c.max} ended: the manifest's are now ${c.manifestMin}–${c.manifestMax}`,
        data: { min: c.min, max: c.max, manifestMin: c.manifestMin, manifestMax: c.manifestMax },
      });
    }
  });
}

/**
 * A destroyed app's autoscale windows and last decisions go with it, so a new app of the same name starts
 * afresh. Returns the unsubscribe.
 */
export function autoscalerForgetsDestroyedApps(
  bus: EventBus,
  autoscaler: Pick<Autoscaler, 'forgetApp'>,
): () => void {
  return bus.subscribe((e) => {
    if (e.type === 'app:destroyed') autoscaler.forgetApp(e.app);
  });
}
