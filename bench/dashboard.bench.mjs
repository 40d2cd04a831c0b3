// Issue 19's dashboard targets: the overview renders its data within 300 ms of the request on loopback with
// 20 apps × 10 replicas, and the built JavaScript is ≤ 120 KB gzipped. Baseline: the one API answer the
// overview cannot do without (GET /api/v1/ps, every replica of every app), fetched from Node. Cases: the calls
// the overview makes (apps, ps, each app's cron jobs), from Node; and Chromium loading the page until all 20
// apps are drawn ("to data ms": from the navigation's start to the last app card, the target's measure).
// The asset sizes are printed as a table of their own before the timings (and checked by
// bench/lib/dashboard-assets.test.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { ROOT, startBenchDaemon } from './lib/daemon.mjs';

const APPS = Number(process.env.BENCH_APPS ?? 20);
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 10);
const CHROMIUM = process.env.NIGHTSHIFT_CHROMIUM ?? '/usr/bin/chromium';
const ASSETS = join(ROOT, 'packages', 'daemon', 'dist', 'dashboard', 'assets');

export default {
  title: `dashboard overview with ${APPS} apps × ${REPLICAS} replicas (loopback)`,
  ratioOf: 'to data ms',
  runs: 7,
  warmup: 2,
  async setup() {
    printAssetSizes();
    const d = await startBenchDaemon();
    for (let i = 1; i <= APPS; i++) {
      const name = `app-${String(i).padStart(2, '0')}`;
      const dir = d.writeApp(
        name,
        `workers:\n  - name: idle\n    start: sleep 100000\n    replicas: ${REPLICAS}\n    stop_grace: 2s\n` +
          `cron:\n  - name: nightly\n    schedule: "0 2 * * *"\n    command: "true"\n`,
      );
      await d.cli(['up'], dir);
    }
    const { httpPort } = JSON.parse(readFileSync(join(d.home, 'daemon.json'), 'utf8'));
    const base = `http://127.0.0.1:${httpPort}`;
    const token = readFileSync(join(d.home, 'api.token'), 'utf8').trim();
    const login = await fetch(`${base}/api/v1/session`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([cookieOf(cookie, base)]);
    const page = await context.newPage();
    return { d, base, cookie, browser, page };
  },
  async teardown({ d, browser }) {
    await browser.close();
    await d.stop();
  },
  baseline: {
    name: 'GET /api/v1/ps from Node (every replica)',
    async run({ base, cookie }) {
      const t0 = performance.now();
      const ps = await (await fetch(`${base}/api/v1/ps`, { headers: { cookie } })).json();
      const ms = performance.now() - t0;
      if (ps.replicas.length !== APPS * REPLICAS) throw new Error(`ps has ${ps.replicas.length} replicas`);
      return { metrics: { 'to data ms': ms } };
    },
  },
  cases: [
    {
      name: `the overview's API calls from Node (apps, ps, cron at once)`,
      async run({ base, cookie }) {
        const get = async (path) => (await fetch(base + path, { headers: { cookie } })).json();
        const t0 = performance.now();
        await Promise.all([get('/api/v1/apps'), get('/api/v1/ps'), get('/api/v1/cron')]);
        return { metrics: { 'to data ms': performance.now() - t0 } };
      },
    },
    {
      name: `Chromium, open tab: overview loaded → ${APPS} apps drawn`,
      async run({ base, page }) {
        // From another page of the dashboard (an open tab), a full load of the overview: a fresh document,
        // fresh requests, the same renderer process (a first visit from another site also starts one).
        await page.goto(`${base}/apps/app-01/usage`);
        await page.goto(`${base}/`, { waitUntil: 'commit' });
        const ms = await drawnAfter(page);
        return { metrics: { 'to data ms': ms } };
      },
    },
    {
      name: `Chromium, first visit: new tab, empty cache → ${APPS} apps drawn`,
      async run({ base, browser, cookie }) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await context.addCookies([cookieOf(cookie, base)]);
        const page = await context.newPage();
        await page.goto(`${base}/`, { waitUntil: 'commit' });
        const ms = await drawnAfter(page);
        await context.close();
        return { metrics: { 'to data ms': ms } };
      },
    },
  ],
};

/**
 * Waits until every app is drawn, then reads the page's clock: milliseconds since the navigation started,
 * measured inside the page, so the harness's own latency is not in it.
 */
async function drawnAfter(page) {
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-ready] section[data-app]').length === n,
    APPS,
    {
      polling: 'raf',
    },
  );
  const ms = await page.evaluate(() => performance.now());
  const rows = await page.locator('tr[data-process]').count();
  if (rows !== APPS) throw new Error(`${rows} process rows`);
  if (process.env.BENCH_DASHBOARD_TRACE) {
    const trace = await page.evaluate(() =>
      [
        ...performance.getEntriesByType('navigation'),
        ...performance.getEntriesByType('resource'),
        ...performance.getEntriesByType('mark'),
        ...performance.getEntriesByType('paint'),
      ].map(
        (e) =>
          `${e.name.replace(location.origin, '')} ${Math.round(e.startTime)}→${Math.round(e.responseEnd)}`,
      ),
    );
    process.stderr.write(`${trace.join('\n')}\n\n`);
  }
  return ms;
}

function cookieOf(cookie, url) {
  const [name, value] = cookie.split('=');
  return { name, value, url, httpOnly: true, sameSite: 'Strict' };
}

/** The built assets, raw and gzipped (what the daemon sends), as a Markdown table. */
function printAssetSizes() {
  const rows = readdirSync(ASSETS)
    .filter((f) => !f.endsWith('.gz'))
    .map((f) => ({
      file: f,
      raw: statSync(join(ASSETS, f)).size,
      gz: statSync(join(ASSETS, `${f}.gz`)).size,
    }));
  const kb = (n) => (n / 1024).toFixed(1);
  const js = rows.filter((r) => r.file.endsWith('.js')).reduce((s, r) => s + r.gz, 0);
  const lines = [
    '### dashboard assets (packages/daemon/dist/dashboard/assets)',
    '',
    '| file | raw KB | gzipped KB |',
    '| --- | ---: | ---: |',
    ...rows.map((r) => `| ${r.file} | ${kb(r.raw)} | ${kb(r.gz)} |`),
    `| **JavaScript in total** | | **${kb(js)}** (target ≤ 120) |`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
