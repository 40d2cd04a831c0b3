import { API_PREFIX } from '@nightshift/protocol';
import { ROUTES } from '@nightshift/protocol/routes';
import { createRouter, type Listener } from './http/router.js';
import type { ApiServices } from './services.js';
import { appRoutes } from './routes/apps.js';
import { cronRoutes } from './routes/cron.js';
import { eventRoutes } from './routes/events.js';
import { daemonRoutes } from './routes/daemon.js';
import { drainRoutes } from './routes/drains.js';
import { logRoutes } from './routes/logs.js';
import { metricRoutes } from './routes/metrics.js';
import { runRoutes } from './routes/run.js';
import { configRoutes } from './routes/config.js';
import { queueRoutes } from './routes/queues.js';
import { redisRoutes } from './routes/redis.js';
import { secretRoutes } from './routes/secrets.js';
import { usageRoutes } from './routes/usage.js';
import { sessionRoutes } from './routes/session.js';

export { withAccess, withToken } from './dashboard/access.js';

/**
 * The API as one request listener (`http.createServer(createApi(s))`). Auth is added by `withAccess` (dashboard/access.ts). Every route
 * is one the protocol declares (`ROUTES`); bodies are checked against the declarations.
 */
export function createApi(services: ApiServices): Listener {
  const router = createRouter(API_PREFIX, ROUTES);
  for (const routes of [
    daemonRoutes,
    appRoutes,
    eventRoutes,
    logRoutes,
    metricRoutes,
    drainRoutes,
    runRoutes,
    cronRoutes,
    configRoutes,
    secretRoutes,
    redisRoutes,
    queueRoutes,
    usageRoutes,
    sessionRoutes,
  ]) {
    routes(router, services);
  }
  return router.listener;
}

/** Serves `/metrics` (Prometheus) beside the API, under the same auth as the listener it is added to. */
export function withMetrics(api: Listener, metrics: Listener): Listener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') metrics(req, res);
    else api(req, res);
  };
}
