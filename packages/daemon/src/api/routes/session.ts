import {
  ErrorCodes,
  NightshiftError,
  type LoginCodeResponse,
  type SessionRequest,
} from '@nightshift/protocol';
import { clearedSessionCookie, sessionCookie, sessionIdOf } from '../dashboard/sessions.js';
import { safeEqual } from '../dashboard/access.js';
import type { Router } from '../http/router.js';
import type { ApiServices } from '../services.js';
import { readJson } from '../validate.js';

/** Dashboard login: codes are minted on the socket (the CLI), spent on TCP (the browser) for a cookie. */
export function sessionRoutes(r: Router, s: ApiServices): void {
  r.post('/dashboard/login-code', (c) => {
    const { code, expiresAt } = s.dashboard.sessions.mintCode();
    const url = s.dashboard.url();
    return c.json({ code, expiresAt, url, loginUrl: `${url}login#code=${code}` } satisfies LoginCodeResponse);
  });

  r.post('/session', async (c) => {
    const body = await readJson<SessionRequest>(
      c,
      (b) => typeof b.code === 'string' || typeof b.token === 'string',
      '{ "code": "…" } or { "token": "…" }',
    );
    // The code is spent even when a token comes with it: a code is tried once, whatever else the body holds.
    const byCode = typeof body.code === 'string' && s.dashboard.sessions.spendCode(body.code);
    const byToken = typeof body.token === 'string' && safeEqual(body.token, s.dashboard.token);
    if (!byCode && !byToken) {
      throw new NightshiftError(
        ErrorCodes.loginRefused,
        body.code !== undefined
          ? 'this login code is unknown, already used or expired'
          : 'this is not the API token',
        'run `nightshift dashboard` for a new login link (a code works once, for 60 s), or paste NIGHTSHIFT_HOME/api.token',
      );
    }
    const session = s.dashboard.sessions.open();
    c.res.setHeader('set-cookie', sessionCookie(session.id, session.maxAgeSeconds));
    return c.json({ expiresAt: new Date(s.clock.now() + session.maxAgeSeconds * 1000).toISOString() });
  });

  r.delete('/session', (c) => {
    const id = sessionIdOf(c.header('cookie'));
    if (id !== undefined) s.dashboard.sessions.close(id);
    c.res.setHeader('set-cookie', clearedSessionCookie());
    return c.json({ ended: id !== undefined });
  });
}
