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

const CPU_PERIOD_US = 100_000;
const MIN_QUOTA_US = 1_000;

/** Makes the daemon's parent cgroup under `base` and hands memory and cpu down to its children. */
export function prepareV2Parent(base: string, parent: string): void {
  // Our own cgroup must pass the controllers to its children; refused (EBUSY) when it holds processes itself
  // and is not the root, which the caller takes as "not delegated".
  writeFileSync(join(base, 'cgroup.subtree_control'), '+memory +cpu');
  mkdirSync(parent, { recursive: true });
  writeFileSync(join(parent, 'cgroup.subtree_control'), '+memory +cpu');
}

/** A leaf cgroup under `parent`: `memory.max` (no swap) and `cpu.max`. */
export function createV2(parent: string, name: string, limits: CgroupLimits): Cgroup {
  const dir = join(parent, name);
  mkdirSync(dir);
  try {
    if (limits.memoryBytes !== null) {
      writeFileSync(join(dir, 'memory.max'), String(limits.memoryBytes));
      try {
        writeFileSync(join(dir, 'memory.swap.max'), '0');
      } catch {
        // No swap controller: nothing to dodge the limit through.
      }
    }
    if (limits.cpu !== null) {
      const quota = Math.max(MIN_QUOTA_US, Math.round(limits.cpu * CPU_PERIOD_US));
      writeFileSync(join(dir, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`);
    }
  } catch (err) {
    removeDirs([dir]);
    throw err;
  }
  return new V2Cgroup(name, dir, limits);
}

/** A class, not an object of closures: one exists per running replica, and methods are shared. */
class V2Cgroup implements Cgroup {
  readonly dirs: readonly string[];
  readonly launcher: readonly string[];

  constructor(
    readonly name: string,
    readonly dir: string,
    readonly limits: CgroupLimits,
  ) {
    this.dirs = [dir];
    this.launcher = joinLauncher([join(dir, 'cgroup.procs')]);
  }

  oomKills(): number {
    return keyed(readText(join(this.dir, 'memory.events')), 'oom_kill') ?? 0;
  }

  cpuSeconds(): number | null {
    const usec = keyed(readText(join(this.dir, 'cpu.stat')), 'usage_usec');
    return usec === null ? null : usec / 1e6;
  }

  memoryBytes(): number | null {
    return readNumber(join(this.dir, 'memory.current'));
  }

  remove(): boolean {
    return removeDirs(this.dirs);
  }
}
