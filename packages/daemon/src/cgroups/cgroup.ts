import { readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

/** The limits one replica or run gets (from the manifest's `resources`). */
export interface CgroupLimits {
  readonly memoryBytes: number | null;
  readonly cpu: number | null;
}

/**
 * One replica's (or cron run's) cgroup: what to write to join it, how to read what it used and whether the
 * kernel killed something in it for memory. Created per process start, removed once its group is gone.
 */
export interface Cgroup {
  readonly name: string;
  /** Directories of the cgroup (one per v1 hierarchy, one for v2). */
  readonly dirs: readonly string[];
  readonly limits: CgroupLimits;
  /**
   * The argv prefix that joins the cgroup and then execs the command after it (same pid), so even the
   * command's first fork is inside. Give it to the driver as `SpawnSpec.launcher`.
   */
  readonly launcher: readonly string[];
  /** Times the kernel's OOM killer killed a process of this cgroup. */
  oomKills(): number;
  /**
   * CPU time of every process that ran in the cgroup, in seconds (null where not accounted). Its own read, apart
   * from memory: the sampler reads it for every replica each pass and needs nothing else from the cgroup.
   */
  cpuSeconds(): number | null;
  /** Memory charged to the cgroup now (RSS and page cache), in bytes; null where not accounted. */
  memoryBytes(): number | null;
  /** Removes the cgroup; false while processes remain in it (try again once they are gone). */
  remove(): boolean;
}

/**
 * The wrapper: a POSIX shell writes its own pid into each `cgroup.procs` given before `--`, then execs the
 * command, which keeps the pid (so the daemon's handle, group and start time are the command's).
 */
const JOIN_SCRIPT =
  'for f; do [ "$f" = -- ] && break; echo $$ >"$f" || { echo "nightshift: cannot join cgroup $f" >&2; exit 125; }; shift; done; shift; exec "$@"';

export function joinLauncher(procsFiles: readonly string[]): string[] {
  return ['/bin/sh', '-c', JOIN_SCRIPT, 'nightshift-cgroup', ...procsFiles, '--'];
}

export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The number after `key ` in a flat keyed file (`memory.events`, `memory.oom_control`, `cpu.stat`). */
export function keyed(text: string | null, key: string): number | null {
  if (text === null) return null;
  for (const line of text.split('\n')) {
    const [k, v] = line.split(' ');
    if (k === key && v !== undefined) return Number(v);
  }
  return null;
}

export function readNumber(path: string): number | null {
  const text = readText(path);
  if (text === null) return null;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : null;
}

/** rmdir of every dir; true when none is left. A cgroup with processes cannot be removed (EBUSY). */
export function removeDirs(dirs: readonly string[]): boolean {
  let gone = true;
  for (const dir of dirs) {
    try {
      rmdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') gone = false;
    }
  }
  return gone;
}

/** Pids in a cgroup directory (`cgroup.procs`). */
export function pidsIn(dir: string): number[] {
  return (readText(join(dir, 'cgroup.procs')) ?? '')
    .split('\n')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}
