import { describe, expect, it } from 'vitest';
import { withAccess } from '../../src/api/app.js';
import { createRouter } from '../../src/api/http/router.js';
import {
  DashboardSessions,
  LOGIN_CODE_TTL_MS,
  sessionCookie,
  sessionIdOf,
} from '../../src/api/dashboard/sessions.js';
import { CONTENT_SECURITY_POLICY } from '../../src/api/dashboard/headers.js';
import { inject } from './inject.js';

/** A clock the test moves; random bytes from a counter, so ids differ and nothing depends on the kernel. */
function fixture() {
  let mono = 0;
  let n = 0;
  const clock = { now: () => 1_700_000_000_000 + mono, monotonic: () => mono };
  const sessions = new DashboardSessions({ clock, random: (k) => Buffer.alloc(k, ++n) });
  return { sessions, advance: (ms: number) => (mono += ms) };
}

describe('dashboard login codes and sessions', () => {
  it('spends a code once, and only within 60 s', () => {
    const { sessions, advance } = fixture();
    const first = sessions.mintCode().code;
    expect(sessions.spendCode(first)).toBe(true);
    expect(sessions.spendCode(first)).toBe(false);
    const late = sessions.mintCode().code;
    advance(LOGIN_CODE_TTL_MS);
    expect(sessions.spendCode(late)).toBe(false);
    const early = sessions.mintCode().code;
    advance(LOGIN_CODE_TTL_MS - 1);
    expect(sessions.spendCode(early)).toBe(true);
    expect(sessions.spendCode('never-minted')).toBe(false);
  });

  it('opens sessions that end when closed, and a cookie that script cannot read', () => {
    const { sessions } = fixture();
    const { id, maxAgeSeconds } = sessions.open();
    expect(sessions.valid(id)).toBe(true);
    const cookie = sessionCookie(id, maxAgeSeconds);
    expect(cookie).toMatch(/; HttpOnly; SameSite=Strict; Path=\//);
    expect(sessionIdOf(`a=b; ${cookie.split(';')[0]}`)).toBe(id);
    sessions.close(id);
    expect(sessions.valid(id)).toBe(false);
  });
});

describe('the TCP listener with the dashboard (withAccess)', () => {
  const ORIGIN = 'http://127.0.0.1:7300';
  function listener() {
    const { sessions } = fixture();
    const router = createRouter('/api/v1');
    router.get('/daemon', (c) => c.json({ ok: true }));
    router.post('/apps/:app/scale', (c) => c.json({ scaled: true }));
    router.post('/session', (c) => c.json({ login: true }));
    const request = inject(
      withAccess(router.listener, {
        token: 'tok',
        sessions,
        pages: (_req, res, authorized) => {
          res.writeHead(authorized ? 200 : 401, { 'content-type': 'text/html' });
          res.end('<!doctype html>');
        },
      }),
    );
    const session = `nightshift_session=${sessions.open().id}`;
    return { request, session };
  }
  const host = { host: '127.0.0.1:7300' };

  it('puts the CSP and X-Frame-Options on pages, API answers and refusals alike', async () => {
    const { request, session } = listener();
    for (const [path, headers] of [
      ['/', {}],
      ['/apps/shop', { cookie: session }],
      ['/api/v1/daemon', {}],
      ['/api/v1/daemon', { cookie: session }],
    ] as const) {
      const res = await request(path, { headers });
      expect(res.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('serves pages as 401 and refuses the API without a session; reads with one', async () => {
    const { request, session } = listener();
    expect((await request('/apps/shop')).status).toBe(401);
    expect((await request('/api/v1/daemon')).status).toBe(401);
    expect(
      (await request('/api/v1/daemon', { headers: { cookie: 'nightshift_session=forged' } })).status,
    ).toBe(401);
    expect((await request('/apps/shop', { headers: { cookie: session } })).status).toBe(200);
    expect((await request('/api/v1/daemon', { headers: { cookie: session } })).status).toBe(200);
  });

  it('needs the own Origin for a change made with the cookie, and for a login', async () => {
    const { request, session } = listener();
    const scale = (headers: Record<string, string>) =>
      request('/api/v1/apps/shop/scale', { method: 'POST', headers: { ...host, ...headers }, body: '{}' });
    for (const origin of [undefined, 'http://evil.example', 'http://127.0.0.1:7301', 'null']) {
      const res = await scale({ cookie: session, ...(origin ? { origin } : {}) });
      expect(res.status, origin).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NS_API_ORIGIN_REFUSED');
    }
    expect((await scale({ cookie: session, origin: ORIGIN })).status).toBe(200);
    // Scripts with the token are not browsers: no Origin to check.
    expect((await scale({ authorization: 'Bearer tok' })).status).toBe(200);
    const login = (origin: string) =>
      request('/api/v1/session', { method: 'POST', headers: { ...host, origin }, body: '{}' });
    expect((await login('http://evil.example')).status).toBe(403);
    expect((await login(ORIGIN)).status).toBe(200);
  });

  it('never serves the one-off environment or a login code over TCP, even to a session', async () => {
    const { request, session } = listener();
    for (const path of ['/api/v1/apps/shop/run', '/api/v1/dashboard/login-code']) {
      const res = await request(path, {
        method: 'POST',
        headers: { ...host, origin: ORIGIN, cookie: session },
        body: '{}',
      });
      expect(res.status, path).toBe(403);
    }
  });
});
