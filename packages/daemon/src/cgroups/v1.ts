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
  return new V1Cgroup(name, dirs, limits);
}

/** A class, not an object of closures: one exists per running replica, and methods are shared. */
class V1Cgroup implements Cgroup {
  readonly dirs: readonly string[];
  readonly launcher: readonly string[];
  readonly #memory: string | undefined;
  readonly #cpuacct: string | undefined;

  constructor(
    readonly name: string,
    dirs: Readonly<Partial<Record<V1Controller, string>>>,
    readonly limits: CgroupLimits,
  ) {
    this.dirs = Object.values(dirs);
    this.launcher = joinLauncher(this.dirs.map((d) => join(d, 'cgroup.procs')));
    this.#memory = dirs.memory;
    this.#cpuacct = dirs.cpuacct;
  }

  oomKills(): number {
    return this.#memory ? (keyed(readText(join(this.#memory, 'memory.oom_control')), 'oom_kill') ?? 0) : 0;
  }

  cpuSeconds(): number | null {
    const ns = this.#cpuacct ? readNumber(join(this.#cpuacct, 'cpuacct.usage')) : null;
    return ns === null ? null : ns / 1e9;
  }

  memoryBytes(): number | null {
    return this.#memory ? readNumber(join(this.#memory, 'memory.usage_in_bytes')) : null;
  }

  remove(): boolean {
    return removeDirs(this.dirs);
  }
}
