import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_PREFIX, ErrorCodes, NightshiftError, toErrorBody } from '@nightshift/protocol';
import { routedPath, sendJson, type Listener } from '../http/router.js';
import { setSecurityHeaders } from './headers.js';
import { kernelRandom } from '../../home.js';
import { systemClock } from '../../runtime/clock.js';
import { DashboardSessions, sessionIdOf } from './sessions.js';

/** What the TCP listener serves besides the API. */
export interface TcpAccess {
  /** The API token (`NIGHTSHIFT_HOME/api.token`): bearer credentials for scripts. */
  readonly token: string;
  readonly sessions: DashboardSessions;
  /** The dashboard's page and assets; `authorized` says whether the request carried a valid session. */
  readonly pages: (req: IncomingMessage, res: ServerResponse, authorized: boolean) => void;
}

/** Routes whose answers carry secret values (a one-off's environment) or mint credentials: the socket's only. */
const LOCAL_ONLY = new RegExp(`^${API_PREFIX}/(?:apps/[^/]+/run|dashboard/login-code)/?$`);
/** The one API route served without credentials: the login, which spends a code or checks the token. */
const LOGIN = `${API_PREFIX}/session`;

/**
 * Wraps the API for the TCP listener (the dashboard's). Every answer carries the security headers. API calls
 * need the bearer token or a session cookie; a change made with the cookie (anything but GET/HEAD), and the
 * login itself, must also come with this listener's own `Origin`, so another site's page can neither act with
 * the user's session (SameSite=Strict is the first guard, the Origin the second) nor log the browser into a
 * session of its choosing. Bearer requests come from scripts, which a browser never lets another site forge.
 */
export function withAccess(api: Listener, access: TcpAccess): Listener {
  return (req, res) => {
    setSecurityHeaders(res);
    const path = routedPath(req);
    const cookieSession = sessionIdOf(req.headers.cookie);
    const hasSession = cookieSession !== undefined && access.sessions.valid(cookieSession);
    if (!path.startsWith(`${API_PREFIX}/`) && path !== '/metrics') {
      access.pages(req, res, hasSession);
      return;
    }
    const mutating = req.method !== 'GET' && req.method !== 'HEAD';
    if (path === LOGIN && req.method === 'POST') {
      if (!sameOrigin(req)) return refuse(res, originRefused(req));
      api(req, res);
      return;
    }
    const bearer = bearerOf(req.headers.authorization);
    const byToken = bearer !== undefined && safeEqual(bearer, access.token);
    if (!byToken && !hasSession) return refuse(res, unauthorized());
    if (!byToken && mutating && !sameOrigin(req)) return refuse(res, originRefused(req));
    if (LOCAL_ONLY.test(path)) return refuse(res, localOnly(req.method ?? 'GET', path));
    api(req, res);
  };
}

/**
 * The TCP guard without the dashboard's pages (tests of the API alone): the token, or a session of `sessions`
 * when given.
 */
export function withToken(api: Listener, token: string, sessions?: DashboardSessions): Listener {
  return withAccess(api, {
    token,
    sessions: sessions ?? new DashboardSessions({ clock: systemClock, random: kernelRandom }),
    pages: (_req, res) => refuse(res, notFound()),
  });
}

/**
 * The request's `Origin` is this listener's own address as the browser reached it (`http://` + `Host`). A
 * browser always sends `Origin` on a POST/DELETE made by script, and a page cannot set it or `Host`.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host;
  return origin !== undefined && host !== undefined && origin === `http://${host}`;
}

function bearerOf(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

function refuse(res: ServerResponse, err: NightshiftError): void {
  const body = toErrorBody(err);
  sendJson(
    res,
    body,
    err.code === ErrorCodes.unauthorized ? 401 : err.code === ErrorCodes.notFound ? 404 : 403,
  );
}

function unauthorized(): NightshiftError {
  return new NightshiftError(
    ErrorCodes.unauthorized,
    'this request needs the API token or a dashboard session',
    'send `Authorization: Bearer <token>` (the token is in NIGHTSHIFT_HOME/api.token), or open the link `nightshift dashboard` prints',
  );
}

function originRefused(req: IncomingMessage): NightshiftError {
  return new NightshiftError(
    ErrorCodes.originRefused,
    `${req.method} from origin ${req.headers.origin ?? '(none)'} is refused: only the dashboard's own page may make changes with its session`,
    'use the dashboard at the address `nightshift dashboard` prints, or call the API with the bearer token',
  );
}

function localOnly(method: string, path: string): NightshiftError {
  return new NightshiftError(
    ErrorCodes.apiLocalOnly,
    `${method} ${path} is only served on the daemon's Unix socket`,
    "run the command (`nightshift run`, `nightshift dashboard`) on the daemon's machine, as its user",
  );
}

function notFound(): NightshiftError {
  return new NightshiftError(
    ErrorCodes.notFound,
    'this listener serves the API only',
    'see docs for the API routes',
  );
}

/** Compares in time independent of where the strings differ. */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
