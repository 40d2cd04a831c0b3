import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Cgroup,
  type CgroupLimits,
  joinLauncher,
  keyed,
  readNumber,
  readText,
  removeDirs,
} from './cgroup.js';
import type { V1Controller } from './detect.js';

/** The CFS period the quota is a share of: 100 ms, the kernel's default. */
const CFS_PERIOD_US = 100_000;
/** The least quota the kernel takes (1 ms). */
const MIN_QUOTA_US = 1_000;

/** Writes a control file; optional ones (swap accounting may be off) may fail quietly. */
function write(dir: string, file: string, value: string, optional = false): void {
  try {
    writeFileSync(join(dir, file), value);
  } catch (err) {
    if (!optional) throw err;
  }
}

/**
 * A cgroup in the v1 hierarchies under `parents` (memory, cpu, cpuacct: whichever are writable): memory limit
 * in `memory.limit_in_bytes` (and memsw, so the limit cannot be dodged through swap), CPU as a CFS quota.
 */
export function createV1(
  parents: Readonly<Partial<Record<V1Controller, string>>>,
  name: string,
  limits: CgroupLimits,
): Cgroup {
  const dirs: Partial<Record<V1Controller, string>> = {};
  try {
    for (const [controller, parent] of Object.entries(parents) as [V1Controller, string][]) {
      const dir = join(parent, name);
      mkdirSync(dir);
      dirs[controller] = dir;
    }
    if (dirs.memory && limits.memoryBytes !== null) {
      const bytes = String(limits.memoryBytes);
      write(dirs.memory, 'memory.swappiness', '0', true);
      write(dirs.memory, 'memory.limit_in_bytes', bytes);
      write(dirs.memory, 'memory.memsw.limit_in_bytes', bytes, true);
    }
    if (dirs.cpu && limits.cpu !== null) {
      write(dirs.cpu, 'cpu.cfs_period_us', String(CFS_PERIOD_US));
      write(
        dirs.cpu,
        'cpu.cfs_quota_us',
        String(Math.max(MIN_QUOTA_US, Math.round(limits.cpu * CFS_PERIOD_US))),
      );
    }
  } catch (err) {
    removeDirs(Object.values(dirs));
    throw err;
  }
  const all = Object.values(dirs);
  return {
    name,
    dirs: all,
    limits,
    launcher: joinLauncher(all.map((d) => join(d, 'cgroup.procs'))),
    oomKills: () =>
      dirs.memory ? (keyed(readText(join(dirs.memory, 'memory.oom_control')), 'oom_kill') ?? 0) : 0,
    cpuSeconds: () => {
      const ns = dirs.cpuacct ? readNumber(join(dirs.cpuacct, 'cpuacct.usage')) : null;
      return ns === null ? null : ns / 1e9;
    },
    memoryBytes: () => (dirs.memory ? readNumber(join(dirs.memory, 'memory.usage_in_bytes')) : null),
    remove: () => removeDirs(all),
  };
}
