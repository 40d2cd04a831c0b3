import { API_PREFIX, ErrorCodes, NightshiftError, toErrorBody } from '@nightshift/protocol';
import { ROUTES } from '@nightshift/protocol/routes';
import { createRouter, type Listener, routedPath, sendJson } from './http/router.js';
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

/**
 * The API as one request listener (`http.createServer(createApi(s))`). Auth is added by `withToken`. Every route
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

/** Wraps the API so every request needs the bearer token or the login cookie (the TCP listener). */
export function withToken(api: Listener, token: string): Listener {
  return (req, res) => {
    const header = req.headers.authorization ?? '';
    const cookie = /(?:^|;\s*)nightshift_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const given = header.startsWith('Bearer ') ? header.slice(7) : cookie;
    if (!given || !safeEqual(given, token)) {
      sendJson(
        res,
        toErrorBody(
          new NightshiftError(
            ErrorCodes.unauthorized,
            'this request needs the API token',
            'send `Authorization: Bearer <token>` (the token is in NIGHTSHIFT_HOME/api.token), or open the link `nightshift dashboard` prints',
          ),
        ),
        401,
      );
      return;
    }
    // A one-off's answer is the app's environment with its secrets' values: only the local admin on the
    // Unix socket may have it, never a token holder (the dashboard) over TCP. The path tested is the one routed.
    const path = routedPath(req);
    if (LOCAL_ONLY.test(path)) {
      sendJson(
        res,
        toErrorBody(
          new NightshiftError(
            ErrorCodes.apiLocalOnly,
            `${req.method} ${path} is only served on the daemon's Unix socket`,
            "run `nightshift run` on the daemon's machine, as its user",
          ),
        ),
        403,
      );
      return;
    }
    api(req, res);
  };
}

/** Routes whose answers carry secret values. */
const LOCAL_ONLY = new RegExp(`^${API_PREFIX}/apps/[^/]+/run/?$`);

function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
