import { Hono } from 'hono';
import { API_PREFIX, ErrorCodes, NightshiftError, statusOf, toErrorBody } from '@nightshift/protocol';
import type { ApiServices } from './services.js';
import { appRoutes } from './routes/apps.js';
import { cronRoutes } from './routes/cron.js';
import { eventRoutes } from './routes/events.js';
import { daemonRoutes } from './routes/daemon.js';
import { drainRoutes } from './routes/drains.js';
import { logRoutes } from './routes/logs.js';
import { runRoutes } from './routes/run.js';
import { configRoutes } from './routes/config.js';
import { secretRoutes } from './routes/secrets.js';

/** The API as one Hono app, testable in process with `app.request()`. Auth is added by the listener. */
export function createApi(services: ApiServices): Hono {
  const app = new Hono();
  app.route(API_PREFIX, daemonRoutes(services));
  app.route(API_PREFIX, appRoutes(services));
  app.route(API_PREFIX, eventRoutes(services));
  app.route(API_PREFIX, logRoutes(services));
  app.route(API_PREFIX, drainRoutes(services));
  app.route(API_PREFIX, runRoutes(services));
  app.route(API_PREFIX, cronRoutes(services));
  app.route(API_PREFIX, configRoutes(services));
  app.route(API_PREFIX, secretRoutes(services));
  app.notFound((c) =>
    c.json(toErrorBody(new NightshiftError(ErrorCodes.notFound, `no route ${c.req.method} ${c.req.path}`, 'see docs for the API routes')), 404),
  );
  app.onError((err, c) => {
    const body = toErrorBody(err);
    return c.json(body, statusOf(body.error.code) as 400);
  });
  return app;
}

/** Wraps the API so every request needs the bearer token or the login cookie (the TCP listener). */
export function withToken(api: Hono, token: string): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const cookie = /(?:^|;\s*)nightshift_token=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1];
    const given = header.startsWith('Bearer ') ? header.slice(7) : cookie;
    if (!given || !safeEqual(given, token)) {
      return c.json(
        toErrorBody(
          new NightshiftError(ErrorCodes.unauthorized, 'this request needs the API token', 'send `Authorization: Bearer <token>` (the token is in NIGHTSHIFT_HOME/api.token), or open the link `nightshift dashboard` prints'),
        ),
        401,
      );
    }
    // A one-off's answer is the app's environment with its secrets' values: only the local admin on the
    // Unix socket may have it, never a token holder (the dashboard) over TCP.
    if (LOCAL_ONLY.test(c.req.path)) {
      return c.json(
        toErrorBody(new NightshiftError(ErrorCodes.apiLocalOnly, `${c.req.method} ${c.req.path} is only served on the daemon's Unix socket`, 'run `nightshift run` on the daemon\'s machine, as its user')),
        403,
      );
    }
    await next();
  });
  app.route('/', api);
  return app;
}

/** Routes whose answers carry secret values. */
const LOCAL_ONLY = new RegExp(`^${API_PREFIX}/apps/[^/]+/run/?$`);

function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
