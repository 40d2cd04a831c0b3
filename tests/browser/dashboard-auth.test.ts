import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Sandbox, sleep } from '../e2e/helpers.js';
import { baseOf, launch, loggedIn, loginLink, screenshot, sessionCookieOf, tokenOf } from './dashboard.js';

const PAGES = [
  '/',
  '/apps/APP',
  '/apps/APP/processes/idle',
  '/apps/APP/cron',
  '/apps/APP/events',
  '/apps/APP/releases',
  '/apps/APP/config',
  '/apps/APP/usage',
];

describe('dashboard access', () => {
  let browser: Browser;
  let sb: Sandbox;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser.close();
  });
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('logs in with the link once; refuses pages and API without a session, a reused or expired code, and a cross-origin change', async () => {
    sb = new Sandbox('dash-auth');
    sb.writeApp(`workers:\n  - name: idle\n    start: sleep 1000\n    replicas: 1\n    stop_grace: 1s\n`);
    await sb.cliOk(['up']);
    const base = baseOf(sb);
    const pages = PAGES.map((p) => p.replace('APP', sb.app));
    // Minted first: it must be refused after its 60 s, checked at the end of the test.
    const stale = await loginLink(sb);
    const mintedAt = Date.now();

    // Without a session: every page answers 401 (its HTML only shows the login form), every API call 401.
    for (const path of pages) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    for (const path of [
      '/api/v1/apps',
      `/api/v1/apps/${sb.app}/ps`,
      `/api/v1/apps/${sb.app}/secrets`,
      '/metrics',
    ]) {
      expect((await fetch(base + path)).status, path).toBe(401);
    }

    // The link logs the browser in: a session cookie script cannot read, and the overview with the app.
    const { context, page } = await loggedIn(browser, sb);
    await page.locator(`section[data-app="${sb.app}"]`).waitFor();
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'nightshift_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    // The code left the address bar, and a login code is never a cookie.
    expect(page.url()).toBe(`${base}/`);

    // Every page of the dashboard is served with the CSP; none is refused by it (no inline script).
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
    });
    for (const path of pages) {
      const res = await page.goto(base + path);
      expect(res?.status(), path).toBe(200);
      expect(res?.headers()['content-security-policy'], path).toMatch(
        /default-src 'none'; script-src 'self'/,
      );
      expect(res?.headers()['x-frame-options'], path).toBe('DENY');
      await page.locator('main#main').waitFor();
    }
    expect(violations).toEqual([]);
    // Empty states say what to do next: an app without cron jobs, an app that does not exist.
    await page.goto(`${base}/apps/${sb.app}/cron`);
    expect(await page.locator('.empty').innerText()).toContain('nightshift deploy');
    await screenshot(page, 'empty-cron-desktop');
    await page.goto(`${base}/apps/no-such-app`);
    expect(await page.locator('.empty').innerText()).toContain('nightshift up');
    await screenshot(page, 'empty-app-desktop');

    // A reused code is refused, in the browser and by the API.
    const session = await sessionCookieOf(context);
    const used = new URL((await loginLink(sb)).loginUrl).hash.slice('#code='.length);
    const login = (body: object, origin = base) =>
      fetch(`${base}/api/v1/session`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await login({ code: used })).status).toBe(200);
    const again = await login({ code: used });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('NS_LOGIN_REFUSED');
    const fresh = await browser.newContext();
    const reusedPage = await fresh.newPage();
    await reusedPage.goto(`${base}/login#code=${used}`);
    await reusedPage.getByRole('alert').waitFor();
    expect(await reusedPage.getByRole('alert').innerText()).toContain('NS_LOGIN_REFUSED');
    // The login page also takes the token.
    await reusedPage.getByLabel('API token').fill(tokenOf(sb));
    await reusedPage.getByRole('button', { name: 'Log in' }).click();
    await reusedPage.locator(`section[data-app="${sb.app}"]`).waitFor();
    await fresh.close();

    // A change with the cookie from another origin is refused and changes nothing; from the page's own, done.
    const scale = (origin: string) =>
      fetch(`${base}/api/v1/apps/${sb.app}/scale`, {
        method: 'POST',
        headers: { cookie: session, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ changes: [{ process: 'idle', op: '=', count: 2 }] }),
      });
    const evil = await scale('http://evil.example');
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: { code: string } }).error.code).toBe('NS_API_ORIGIN_REFUSED');
    expect((await sb.ps()).length).toBe(1);
    expect((await login({ token: tokenOf(sb) }, 'http://evil.example')).status).toBe(403);
    expect((await scale(base)).status).toBe(200);
    expect((await sb.ps()).length).toBe(2);
    await context.close();

    // The code minted at the start is dead after 60 s, although never used.
    await sleep(Math.max(0, mintedAt + 61_000 - Date.now()));
    const expired = await login({ code: new URL(stale.loginUrl).hash.slice('#code='.length) });
    expect(expired.status).toBe(401);
  });
});
