import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as store from '../store/index.js';
import type { AppsDeps } from './deps.js';

/**
 * Stops and forgets an app in its turn: replicas and cron runs first, then drains, logs, rows, secrets and its
 * folder; `app:destroyed` last.
 */
export function destroy(deps: AppsDeps, app: string): Promise<void> {
  return deps.queue.run(app, async () => {
    await Promise.all([deps.supervisor.remove(app), deps.cron.removeApp(app)]);
    await deps.drains.removeApp(app);
    // Before the password is forgotten with the secrets; a Redis that cannot be reached must not block destroy.
    await deps.redis.removeApp(app).catch(deps.onError);
    await deps.logs.removeApp(app);
    store.deleteApp(deps.db, app);
    deps.secrets.forgetApp(app);
    deps.autoscaleBounds.forgetApp(app);
    await rm(join(deps.appsDir, app), { recursive: true, force: true });
    deps.bus.emit({ type: 'app:destroyed', app, message: `${app} destroyed`, data: {} });
  });
}
