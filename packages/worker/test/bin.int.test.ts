/** The `nightshift-worker` bin as a real process: usage errors, bad files, start errors, a clean run. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'nightshift-worker.js');
const dist = join(root, 'dist', 'index.js');
let dir: string;

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('nightshift-worker', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nightshift-bin-'));
    writeFileSync(join(dir, 'empty.mjs'), 'export const nothing = 1;\n');
    writeFileSync(join(dir, 'broken.mjs'), 'throw new Error("syntax is fine, import fails");\n');
    writeFileSync(
      join(dir, 'leaky.mjs'),
      `import { defineWorker, schedule } from ${JSON.stringify(dist)};\n` +
        `export default defineWorker({ name: 'leaky', source: schedule('@daily'), services: { s: ({ ctx }) => ctx }, handle() {} });\n`,
    );
    writeFileSync(
      join(dir, 'named.mjs'),
      `import { defineWorker, schedule } from ${JSON.stringify(dist)};\n` +
        `export const tick = defineWorker({ name: 'tick', source: schedule('@daily'), handle() {} });\n`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints usage with --help and exits 0', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: nightshift-worker FILE/);
  });

  it('exits 2 on usage errors', () => {
    expect(run([])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('error NS_USAGE: no worker file given'),
    });
    expect(run(['a.mjs', '--fast'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('unknown option --fast'),
    });
  });

  it('exits 1 with NS_WORKER_FILE_INVALID for a file without a definition or one that fails to import', () => {
    const empty = run(['empty.mjs']);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('error NS_WORKER_FILE_INVALID: empty.mjs exports no worker definition');
    expect(empty.stderr).toContain('hint: export the result of defineWorker');
    expect(run(['broken.mjs']).stderr).toContain(
      'error NS_WORKER_FILE_INVALID: could not import broken.mjs: syntax is fine, import fails',
    );
    expect(run(['named.mjs', '--export', 'other']).stderr).toContain(
      'exports no worker definition named "other"',
    );
  });

  it('exits 1 with the catalogued code when the worker cannot start', () => {
    const leaky = run(['leaky.mjs']);
    expect(leaky.status).toBe(1);
    expect(leaky.stderr).toMatch(
      /error NS_WORKER_SCOPE_LEAK: worker "leaky": root service "s" depends on job-scoped "ctx"/,
    );
    const env = run(['named.mjs'], { WORKER_CONCURRENCY: 'lots' });
    expect(env.status).toBe(1);
    expect(env.stderr).toContain(
      'error NS_WORKER_ENV_INVALID: invalid worker environment: WORKER_CONCURRENCY must be a whole number',
    );
  });

  it('runs a named export and stops cleanly on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, 'named.mjs', '--export', 'tick'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!signalled && out.includes('worker started')) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toContain('worker stopped');
  });
});
