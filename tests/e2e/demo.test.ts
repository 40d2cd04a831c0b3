import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, Sandbox, scanProc } from './helpers.js';

// The README's main command runs `npm run build` and then this script; the suite has built already.
describe('npm run demo (the hello example under a daemon)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    await sb.cleanup();
    expect(
      scanProc((env) => env.NIGHTSHIFT_APP === 'hello' && env.NIGHTSHIFT_REPLICA !== undefined).filter(
        (pid) => hellosOf(pid, sb),
      ),
    ).toEqual([]);
  });

  it('brings up both workers, shows ps, logs and events, and says how to go on', async () => {
    sb = new Sandbox('demo');
    const out = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        [join(ROOT, 'scripts', 'demo.mjs')],
        { env: { ...process.env, ...sb.daemonEnv }, timeout: 90_000 },
        (err, stdout) => resolve({ code: err ? 1 : 0, stdout }),
      ),
    );
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^ticker\.1\s+running\s/m);
    expect(out.stdout).toMatch(/^ticker\.2\s+running\s/m);
    expect(out.stdout).toMatch(/^flaky\.1\s+(running|backoff)\s/m);
    expect(out.stdout).toContain('ticker.1: hello from ticker.1: tick');
    expect(out.stdout).toContain('deploy:finished');
    for (const next of ['ps --app hello', 'logs -t --app hello', 'scale ticker=4 --app hello', 'daemon stop'])
      expect(out.stdout).toContain(next);
    // The daemon keeps the app running after the script is done.
    const ps = JSON.parse((await sb.cliOk(['ps', '--json', '--app', 'hello'])).stdout) as {
      replica: string;
    }[];
    expect(ps.map((r) => r.replica).sort()).toEqual(['flaky.1', 'ticker.1', 'ticker.2']);
  }, 120_000);
});

/** Whether a hello replica belongs to this test's daemon (its cwd is a release under the sandbox's home). */
function hellosOf(pid: number, sb: Sandbox): boolean {
  try {
    return readlinkSync(`/proc/${pid}/cwd`).startsWith(sb.home);
  } catch {
    return false;
  }
}
