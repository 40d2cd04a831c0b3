import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectCgroups } from '../../src/cgroups/detect.js';

// Detection reads what the kernel says (mounts and our own cgroup), never assumes: each layout below is a fake
// /proc/self with mount points in a temporary folder.
let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function world(
  mounts: [string, 'cgroup' | 'cgroup2', string][],
  own: string,
  files: Record<string, string> = {},
) {
  root = mkdtempSync(join(tmpdir(), 'ns-detect-'));
  const proc = join(root, 'proc');
  mkdirSync(proc);
  const lines = mounts.map(([dir, type, opts]) => {
    mkdirSync(join(root, dir), { recursive: true });
    return `${type} ${join(root, dir)} ${type} rw,relatime${opts ? `,${opts}` : ''} 0 0`;
  });
  writeFileSync(join(proc, 'mounts'), `tmpfs ${root} tmpfs rw 0 0\n${lines.join('\n')}\n`);
  writeFileSync(join(proc, 'cgroup'), own);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return proc;
}

describe('detectCgroups', () => {
  it('v1 with memory, cpu and cpuacct mounted apart, under our own cgroup of each', () => {
    const proc = world(
      [
        ['memory', 'cgroup', 'memory'],
        ['cpu', 'cgroup', 'cpu'],
        ['cpuacct', 'cgroup', 'cpuacct'],
        ['unified', 'cgroup2', ''],
      ],
      '4:memory:/box/1\n2:cpuacct:/\n1:cpu:/\n0::/\n',
      { 'memory/box/1/x': '', 'unified/cgroup.controllers': '\n' },
    );
    expect(detectCgroups(proc)).toEqual({
      kind: 'v1',
      bases: { memory: join(root, 'memory/box/1'), cpu: join(root, 'cpu'), cpuacct: join(root, 'cpuacct') },
    });
  });

  it('v1 with cpu and cpuacct on one mount', () => {
    const proc = world(
      [
        ['memory', 'cgroup', 'memory'],
        ['cpu,cpuacct', 'cgroup', 'cpu,cpuacct'],
      ],
      '5:memory:/\n3:cpu,cpuacct:/\n',
    );
    expect(detectCgroups(proc)).toMatchObject({
      kind: 'v1',
      bases: { cpu: join(root, 'cpu,cpuacct'), cpuacct: join(root, 'cpu,cpuacct') },
    });
  });

  it('v2 when the unified hierarchy offers memory and cpu to our cgroup', () => {
    const proc = world([['sys/fs/cgroup', 'cgroup2', '']], '0::/daemon.slice\n', {
      'sys/fs/cgroup/daemon.slice/cgroup.controllers': 'cpuset cpu io memory pids\n',
    });
    expect(detectCgroups(proc)).toEqual({ kind: 'v2', base: join(root, 'sys/fs/cgroup/daemon.slice') });
  });

  it('none, with the reason, when v2 has no controllers delegated and there is no v1 memory hierarchy', () => {
    const proc = world([['unified', 'cgroup2', '']], '0::/\n', { 'unified/cgroup.controllers': '\n' });
    expect(detectCgroups(proc)).toEqual({
      kind: 'none',
      reason:
        'cgroup v2 is mounted without the memory and cpu controllers delegated, and no cgroup v1 memory hierarchy is writable',
    });
  });

  it('none when nothing is mounted', () => {
    expect(detectCgroups(world([], ''))).toMatchObject({ kind: 'none' });
  });
});
