import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { LoginCodeResponse } from '@nightshift/protocol';
import { BIN, ROOT, type CliResult, type Sandbox } from '../e2e/helpers.js';

/**
 * Helpers for driving the dashboard with Debian's Chromium (never a downloaded browser): scripts/services.sh
 * installs it. Screenshots go to tests/browser/screenshots/ (git-ignored), one per page and width.
 */
export const CHROMIUM = process.env.NIGHTSHIFT_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'tests', 'browser', 'screenshots');

/** The two widths the issue asks the pages to work at: a laptop and a phone. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The daemon's TCP address (`http://127.0.0.1:<port>`), from its home. */
export function baseOf(sb: Sandbox): string {
  const { httpPort } = JSON.parse(readFileSync(join(sb.home, 'daemon.json'), 'utf8')) as { httpPort: number };
  return `http://127.0.0.1:${httpPort}`;
}

export function tokenOf(sb: Sandbox): string {
  return readFileSync(join(sb.home, 'api.token'), 'utf8').trim();
}

/** `nightshift dashboard --json`: a fresh single-use login link. */
export async function loginLink(sb: Sandbox): Promise<LoginCodeResponse> {
  return JSON.parse((await sb.cliOk(['dashboard', '--json'])).stdout) as LoginCodeResponse;
}

/** A browser context logged in through the link, as a user would be. */
export async function loggedIn(
  browser: Browser,
  sb: Sandbox,
  viewport: { width: number; height: number } = VIEWPORTS.desktop,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto((await loginLink(sb)).loginUrl);
  await page.locator('header.top').waitFor();
  return { context, page };
}

/** The session cookie the login set, for requests made outside the browser. */
export async function sessionCookieOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === 'nightshift_session');
  if (!cookie) throw new Error('no session cookie');
  return `${cookie.name}=${cookie.value}`;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Runs the CLI with `input` on its stdin (`secrets set` reads the value there). */
export function cliIn(sb: Sandbox, args: string[], input: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: sb.appDir,
      env: { ...process.env, ...sb.daemonEnv },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}
