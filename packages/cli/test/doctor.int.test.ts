import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// `nightshift doctor` through the built bin (build first), on this machine, with a home of the test's own.

const bin = fileURLToPath(new URL('../bin/nightshift.js', import.meta.url));

interface Result {
  check: string;
  status: string;
  detail: string;
  fix: string | null;
}

function doctor(env: Record<string, string>) {
  return new Promise<{ code: number; results: Result[] }>((done, fail) => {
    execFile(
      process.execPath,
      [bin, 'doctor', '--json'],
      { env: { ...process.env, ...env } },
      (err, stdout) => {
        try {
          done({
            code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
            results: JSON.parse(stdout) as Result[],
          });
        } catch (e) {
          fail(new Error(`doctor --json printed no JSON: ${String(e)}`));
        }
      },
    );
  });
}

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

describe('nightshift doctor', () => {
  let dir: string;
  let redis: ChildProcess | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ns-doctor-'));
  });
  afterEach(() => {
    redis?.kill('SIGKILL');
    redis = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every check and fails, with the fix, on a home others can read', async () => {
    const home = join(dir, 'home');
    mkdirSync(home, { mode: 0o700 });
    const ok = await doctor({ NIGHTSHIFT_HOME: home });
    expect(ok.results.map((r) => r.check)).toEqual([
      'node',
      'daemon',
      'home',
      'redis',
      'cgroups',
      'disk',
      'clock',
    ]);
    expect(ok.results.find((r) => r.check === 'home')?.status).toBe('ok');
    expect(ok.results.find((r) => r.check === 'daemon')?.status).toBe('warn');
    chmodSync(home, 0o755);
    const bad = await doctor({ NIGHTSHIFT_HOME: home });
    expect(bad.code).toBe(1);
    expect(bad.results.find((r) => r.check === 'home')).toMatchObject({
      status: 'fail',
      fix: `chmod 700 ${home}`,
    });
  });

  it.skipIf(!hasRedisServer())('fails on an external Redis that may evict keys', async () => {
    const port = await freePort();
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--save', '', '--maxmemory-policy', 'allkeys-lru'],
      {
        stdio: 'ignore',
      },
    );
    const home = join(dir, 'home');
    const url = `redis://127.0.0.1:${port}`;
    let redisResult: Result | undefined;
    for (let i = 0; i < 50; i++) {
      const run = await doctor({ NIGHTSHIFT_HOME: home, NIGHTSHIFT_REDIS_ADMIN_URL: url });
      redisResult = run.results.find((r) => r.check === 'redis');
      if (!redisResult?.detail.includes('does not answer')) {
        expect(run.code).toBe(1);
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(redisResult).toMatchObject({ status: 'fail', detail: expect.stringContaining('allkeys-lru') });
  });
});
