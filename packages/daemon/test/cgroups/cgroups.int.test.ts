import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CgroupManager, createCgroupManager, detectCgroups } from '../../src/cgroups/index.js';
import { createLocalDriver, type ProcessHandle } from '../../src/drivers/index.js';

const layout = detectCgroups();
const reason = layout.kind === 'none' ? layout.reason : null;
if (reason) console.warn(`cgroup tests skipped: ${reason}`);

async function output(handle: ProcessHandle): Promise<string> {
  let text = '';
  handle.stdout.on('data', (c: Buffer) => (text += c.toString()));
  await handle.exited;
  await new Promise((r) => setImmediate(r));
  return text;
}

describe.skipIf(reason !== null)('cgroups on this machine', () => {
  let manager: CgroupManager;
  const driver = createLocalDriver();
  afterEach(async () => {
    await manager.close();
  });

  it('makes a cgroup with limits, runs a command inside it through the launcher, reads its usage, removes it', async () => {
    manager = createCgroupManager({
      home: join(tmpdir(), `ns-cg-${process.pid}`),
      onError: (e) => {
        throw e;
      },
    });
    expect(manager.mode).toBe(layout.kind);
    const cg = manager.create('app.w.1', { memoryBytes: 32 * 1024 * 1024, cpu: 0.5 })!;
    expect(cg).not.toBeNull();
    const handle = await driver.spawn({
      argv: ['sh', '-c', 'cat /proc/self/cgroup; i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done'],
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      launcher: cg.launcher,
    });
    const text = await output(handle);
    expect(text).toContain(`/${cg.name}`);
    expect(cg.memoryBytes()).not.toBeNull();
    if (layout.kind === 'v2' || (layout.kind === 'v1' && layout.bases.cpuacct)) {
      expect(cg.cpuSeconds()).toBeGreaterThan(0);
    }
    expect(cg.oomKills()).toBe(0);
    expect(cg.remove()).toBe(true);
    expect(cg.dirs.some((d) => existsSync(d))).toBe(false);
  });

  it('a missing program still fails the spawn (ENOENT), not an exit code of the launcher', async () => {
    manager = createCgroupManager({
      home: join(tmpdir(), `ns-cg2-${process.pid}`),
      onError: (e) => {
        throw e;
      },
    });
    const cg = manager.create('app.w.1', { memoryBytes: null, cpu: null })!;
    await expect(
      driver.spawn({
        argv: ['no-such-program-here'],
        cwd: '/',
        env: { PATH: '/usr/bin:/bin' },
        launcher: cg.launcher,
      }),
    ).rejects.toMatchObject({
      code: 'NS_SPAWN_FAILED',
      message: expect.stringContaining('ENOENT') as string,
    });
    cg.remove();
  });

  it('sweep kills what is left in the cgroups and removes them; close removes the parent', async () => {
    manager = createCgroupManager({
      home: join(tmpdir(), `ns-cg3-${process.pid}`),
      onError: (e) => {
        throw e;
      },
    });
    const cg = manager.create('app.w.1', { memoryBytes: null, cpu: null })!;
    const handle = await driver.spawn({
      argv: ['sleep', '100'],
      cwd: '/',
      env: { PATH: '/usr/bin:/bin' },
      launcher: cg.launcher,
    });
    // The launcher joins the cgroup just after exec: sweep what is in it, not an empty cgroup it is about to join.
    while (!readFileSync(`/proc/${handle.pid}/cgroup`, 'utf8').includes(cg.name)) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await manager.sweep()).toBe(1);
    expect(await handle.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(cg.dirs.some((d) => existsSync(d))).toBe(false);
    await manager.close();
    expect(cg.dirs.map((d) => join(d, '..')).some((p) => existsSync(p))).toBe(false);
  });
});
