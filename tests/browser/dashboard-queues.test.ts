import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Sandbox, waitFor } from '../e2e/helpers.js';
import { baseOf, launch, loggedIn, screenshot, VIEWPORTS } from './dashboard.js';

// Issue 21: the dashboard shows the queue table `nightshift queues` prints, with pause/resume, against a real
// BullMQ queue in the machine's Redis under the app's prefix (the app's own REDIS_URL, not `redis: true`).
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('dashboard queues page', () => {
  let browser: Browser;
  let sb: Sandbox;
  let queue: Queue | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser.close();
  });
  afterEach(async () => {
    if (queue) {
      await queue.obliterate({ force: true });
      await queue.close();
      queue = undefined;
    }
    expect(await sb.cleanup()).toEqual([]);
  });

  it('lists the queues with their counts, pauses and resumes one, and says when the app has no Redis', async () => {
    sb = new Sandbox('dashq');
    sb.writeApp(`workers:\n  - name: idle\n    start: sleep 1000\n    stop_grace: 1s\n`);
    await sb.cliOk(['up']);
    const { context, page } = await loggedIn(browser, sb);
    const url = `${baseOf(sb)}/apps/${sb.app}/queues`;

    await page.goto(url);
    await page.getByText('This app has no Redis, so no queues.').waitFor();

    queue = new Queue('emails', { connection: { url: REDIS_URL }, prefix: `${sb.app}:bull` });
    await queue.addBulk(Array.from({ length: 7 }, (_, i) => ({ name: 'send', data: { n: i } })));
    await queue.add('later', {}, { delay: 3_600_000 });
    await sb.cliOk(['config', 'set', `REDIS_URL=${REDIS_URL}`, '--no-restart', '--app', sb.app]);

    await page.goto(url);
    const row = page.locator('tr', { has: page.locator('th', { hasText: 'emails' }) });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    // waiting, active, delayed, failed, completed, paused
    expect(cells.slice(0, 6)).toEqual(['7', '0', '1', '0', '0', '0']);
    await screenshot(page, 'queues-desktop');

    await row.getByRole('button', { name: 'Pause' }).click();
    await waitFor(async () => (await queue!.isPaused()) || null, 5_000, 'the queue paused from the page');
    await row.getByRole('button', { name: 'Resume' }).waitFor();
    await row.getByText('paused').first().waitFor();
    await row.getByRole('button', { name: 'Resume' }).click();
    await waitFor(async () => !(await queue!.isPaused()) || null, 5_000, 'the queue resumed from the page');

    await page.setViewportSize(VIEWPORTS.phone);
    await screenshot(page, 'queues-phone');
    await context.close();
  });
});
