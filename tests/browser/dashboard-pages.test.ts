import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Sandbox, waitFor } from '../e2e/helpers.js';
import { baseOf, cliIn, launch, loggedIn, screenshot, sessionCookieOf, VIEWPORTS } from './dashboard.js';

/** Prints what the test drops into its file (one per replica), at once: the live tail's latency is the page's. */
const TICKER = `echo '{"level":"info","msg":"ticker up","replica":"'$NIGHTSHIFT_REPLICA'"}'
while true; do
  f="$SAY_DIR/say-$NIGHTSHIFT_REPLICA"
  if [ -f "$f" ]; then cat "$f"; rm -f "$f"; fi
  sleep 0.05
done
`;

const SECRET = `s3cr3t-${Math.random().toString(36).slice(2)}-value`;

function manifest(sayDir: string): string {
  return `secrets: [API_KEY]
env: { SAY_DIR: ${sayDir} }
workers:
  - name: ticker
    start: sh ticker.sh
    replicas: 2
    stop_grace: 1s
  - name: crasher
    start: sh -c 'echo boom >&2; exit 3'
    replicas: 1
    restart: { backoff: 1m, max_backoff: 5m }
  - name: quitter
    start: sh -c 'exit 4'
    replicas: 1
    restart: { max_restarts: 1 }
  - name: leaky
    start: sh -c 'echo "the key is $API_KEY"; exec sleep 1000'
    replicas: 1
    stop_grace: 1s
cron:
  - name: hello
    schedule: "0 0 1 1 *"
    command: sh -c 'echo run-started; sleep 2; echo run-output-ok; exit 0'
`;
}

describe('dashboard pages against a real app', () => {
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

  it('shows the right counts, scales, tails live, runs a job, highlights a crash loop, never shows a secret', async () => {
    sb = new Sandbox('dash');
    sb.writeApp(manifest(sb.root), { 'ticker.sh': TICKER });
    const set = await cliIn(sb, ['secrets', 'set', 'API_KEY', '--app', sb.app], SECRET);
    expect(set.code, set.stderr).toBe(0);
    await sb.cliOk(['up']);
    await sb.cliOk(['config', 'set', 'LOG_LEVEL=debug', '--app', sb.app]);
    const base = baseOf(sb);
    // The crasher has crashed once and waits out its minute of backoff.
    await waitFor(
      async () => (await sb.ps()).find((r) => r.process === 'crasher' && r.state === 'backoff'),
      20_000,
      'the crasher in backoff',
    );

    const { context, page } = await loggedIn(browser, sb);
    // Every answer the page gets (streams aside), to search for the secret at the end.
    const bodies: string[] = [];
    page.on('response', (res) => {
      if ((res.headers()['content-type'] ?? '').includes('text/event-stream')) return;
      void res.text().then(
        (t) => bodies.push(t),
        () => undefined,
      );
    });

    // Overview: running / desired per process, as ps has them; the crash loop highlighted.
    await page.goto(`${base}/`);
    const card = page.locator(`section[data-app="${sb.app}"]`);
    await card
      .locator('tr[data-process="leaky"] .count')
      .waitFor({ timeout: 10_000 })
      .catch(async (err: unknown) => {
        await screenshot(page, 'failed-overview');
        throw err;
      });
    await waitFor(
      async () => (await card.locator('tr[data-process="ticker"] .count').innerText()) === '2 / 2',
      10_000,
      'ticker 2 / 2',
    );
    expect(await card.locator('tr[data-process="leaky"] .count').innerText()).toBe('1 / 1');
    expect(await card.locator('tr[data-process="crasher"] .count').innerText()).toBe('0 / 1');
    const ps = await sb.ps();
    expect(ps.filter((r) => r.process === 'ticker' && r.state === 'running')).toHaveLength(2);
    const loop = card.locator('tr.looping[data-process="crasher"]');
    expect(await loop.innerText()).toMatch(
      // One crash, then a minute of backoff: highlighted, but not yet what ps calls a crash loop.
      /Restarting after a crash[\s\S]*exit 3[\s\S]*next restart \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/,
    );
    // A replica given up on (restart.max_restarts) says how to start it again, not a restart that never comes.
    await waitFor(
      async () => (await sb.ps()).find((r) => r.process === 'quitter' && r.state === 'failed'),
      10_000,
      'the quitter given up on',
    );
    await page.reload();
    const quitter = card.locator('tr.looping[data-process="quitter"]');
    await waitFor(async () => /Given up/.test(await quitter.innerText()) || null, 10_000, 'quitter given up');
    expect(await quitter.innerText()).toMatch(
      /Given up[\s\S]*exit 4[\s\S]*restart\.max_restarts until[\s\S]*nightshift start quitter/,
    );
    expect(await card.getAttribute('class')).toContain('alert');
    expect(await card.locator('tr[data-process="ticker"]').getAttribute('class')).toBeNull();
    expect(await card.innerText()).toContain('live v1');
    expect(await card.locator('.cron-next').innerText()).toMatch(/hello\s+\d{4}-01-01 00:00:00Z/);

    // Process page: scale ticker to 3 from the page; ps follows.
    await page.goto(`${base}/apps/${sb.app}/processes/ticker`);
    await page.getByLabel('Replicas').fill('3');
    await page.getByRole('button', { name: 'Scale' }).click();
    await waitFor(
      async () => (await sb.ps()).filter((r) => r.process === 'ticker' && r.state === 'running').length === 3,
      15_000,
      'three ticker replicas in ps',
    );
    await page.locator('table.replicas tbody tr').nth(2).waitFor();

    // Live tail: a line printed by a replica shows within 1 s.
    await page.locator('.tail .pill.ok').waitFor();
    await page.locator('.log .field').first().waitFor(); // the JSON start line, shown with its fields
    const marker = `tail-marker-${Date.now()}`;
    const t0 = Date.now();
    writeFileSync(join(sb.root, 'say-ticker.2'), `${marker}\n`);
    await page.getByTestId('log-lines').getByText(marker).waitFor({ timeout: 5000 });
    const latency = Date.now() - t0;
    process.stdout.write(`live tail: the line showed ${latency} ms after it was written\n`);
    expect(latency).toBeLessThan(1000);
    // Filtered to another replica, the line is not there.
    await page.getByLabel('Replica', { exact: true }).selectOption('ticker.1');
    await page.locator('.tail .pill.ok').waitFor();
    await page.locator('.log .field').first().waitFor();
    expect(await page.getByTestId('log-lines').innerText()).not.toContain(marker);

    // Run now: a new run, running, then succeeded with its output and exit code.
    await page.goto(`${base}/apps/${sb.app}/cron/hello`);
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/runs\/\d+$/);
    await page.locator('[data-testid="run-facts"] [data-status="running"]').waitFor({ timeout: 5000 });
    await page.locator('[data-testid="run-facts"] [data-status="succeeded"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('exit-code').innerText()).toBe('0');
    expect(await page.getByTestId('run-log').innerText()).toMatch(/run-started[\s\S]*run-output-ok/);
    const runPath = new URL(page.url()).pathname;
    await page.goto(`${base}/apps/${sb.app}/cron/hello`);
    expect(await page.locator('table.runs tbody tr').first().innerText()).toMatch(/manual[\s\S]*succeeded/);
    // The next five slots of "0 0 1 1 *", in UTC.
    const slots = await page.getByTestId('next-slots').locator('time').allInnerTexts();
    const year = new Date().getUTCFullYear();
    expect(slots).toEqual([1, 2, 3, 4, 5].map((k) => `${year + k}-01-01 00:00:00Z`));

    // Releases: after a second deploy, roll back to v1 by keyboard alone, through the confirmation.
    await sb.cliOk(['deploy']);
    await page.goto(`${base}/apps/${sb.app}/releases`);
    const toV1 = page.getByRole('button', { name: 'Roll back to v1' });
    await toV1.waitFor();
    let tabs = 0;
    while (!(await toV1.evaluate((b) => b === document.activeElement)) && tabs++ < 30)
      await page.keyboard.press('Tab');
    expect(tabs).toBeLessThan(30);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape'); // cancelled: nothing happens
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(await liveRelease(sb)).toBe('v2');
    await toV1.focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog').getByRole('button', { name: 'Roll back' });
    while (!(await confirm.evaluate((b) => b === document.activeElement)) && tabs++ < 40)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await liveRelease(sb)) === 'v1', 30_000, 'v1 live again');
    await page.locator('tr.live', { hasText: 'v1' }).waitFor();

    // Secrets page: the name and digest, never the value.
    await page.goto(`${base}/apps/${sb.app}/config`);
    await page.getByText('API_KEY').waitFor();
    expect(await page.content()).not.toContain(SECRET);

    // Screenshots of every page at both widths (looked at by a person, see docs/dashboard.md).
    const pages: [string, string][] = [
      ['overview', '/'],
      ['app', `/apps/${sb.app}`],
      ['process', `/apps/${sb.app}/processes/ticker`],
      ['cron', `/apps/${sb.app}/cron`],
      ['job', `/apps/${sb.app}/cron/hello`],
      ['run', runPath],
      ['events', `/apps/${sb.app}/events`],
      ['releases', `/apps/${sb.app}/releases`],
      ['config', `/apps/${sb.app}/config`],
      ['usage', `/apps/${sb.app}/usage`],
    ];
    for (const [width, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      for (const [name, path] of pages) {
        await page.goto(base + path);
        await page.locator('[data-ready], .empty').first().waitFor();
        await settle(page);
        await screenshot(page, `${name}-${width}`);
      }
    }
    // Dark (prefers-color-scheme) for the two busiest pages.
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const [name, path] of pages.slice(0, 3)) {
      await page.goto(base + path);
      await page.locator('[data-ready], .empty').first().waitFor();
      await settle(page);
      await screenshot(page, `${name}-desktop-dark`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    for (const [width, viewport] of Object.entries(VIEWPORTS)) {
      const login = await browser.newPage({ viewport });
      await login.goto(`${base}/`);
      await login.getByLabel('API token').waitFor();
      await screenshot(login, `login-${width}`);
      await login.close();
    }

    // The secret is in no answer: pages, API calls the page made, and what any API route would give a session.
    const cookie = await sessionCookieOf(context);
    const read = async (path: string) => (await fetch(base + path, { headers: { cookie } })).text();
    for (const path of [
      `/api/v1/apps/${sb.app}/logs?n=1000`,
      `/api/v1/apps/${sb.app}/secrets`,
      `/api/v1/apps/${sb.app}/config`,
      `/api/v1/apps/${sb.app}/events?n=500`,
      `/api/v1/apps/${sb.app}/ps`,
      `/api/v1/apps/${sb.app}/releases`,
      `/api/v1/apps/${sb.app}/cron`,
      '/api/v1/events',
    ]) {
      bodies.push(await read(path));
    }
    bodies.push(await readStream(`${base}/api/v1/apps/${sb.app}/logs/stream?after=0`, cookie));
    // The one-off environment (which carries secret values) is refused to a session, from the page's origin too.
    const oneOff = await fetch(`${base}/api/v1/apps/${sb.app}/run`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ argv: ['env'] }),
    });
    expect(oneOff.status).toBe(403);
    bodies.push(await oneOff.text());
    const all = bodies.join('\n');
    // The searched text is real: the leaky worker's line is in it, redacted.
    expect(all).toContain('the key is [secret:API_KEY]');
    expect(all).not.toContain(SECRET);
    await context.close();
  });
});

async function liveRelease(sb: Sandbox): Promise<string | undefined> {
  const list = JSON.parse((await sb.cliOk(['releases', '--json', '--app', sb.app])).stdout) as {
    version: string;
    live: boolean;
  }[];
  return list.find((r) => r.live)?.version;
}

/** Lets charts and live streams draw before a screenshot. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(300);
}

/** Reads a Server-Sent Events stream for a moment (it never ends by itself). */
async function readStream(url: string, cookie: string): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { cookie }, signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const stop = setTimeout(() => controller.abort(), 1500);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // aborted: what came is enough
  } finally {
    clearTimeout(stop);
  }
  return text;
}
