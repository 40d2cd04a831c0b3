import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Cgroup, type CgroupLimits, pidsIn, removeDirs } from './cgroup.js';
import { type CgroupLayout, detectCgroups, type V1Controller } from './detect.js';
import { parentCgroupName } from './parent-name.js';
import { createV1 } from './v1.js';
import { createV2, prepareV2Parent } from './v2.js';

/** How limits are enforced: by the kernel (`v2`/`v1`), or by the watchdog (`none`: limits are soft). */
export type CgroupMode = 'v2' | 'v1' | 'none';

/**
 * The daemon's cgroups: one parent per home (`nightshift-<hash of the home>`, so two daemons on one machine
 * never sweep each other's), one child per replica start and per cron run.
 */
export interface CgroupManager {
  readonly mode: CgroupMode;
  /** Why limits are soft, when `mode` is `none`. */
  readonly reason: string | null;
  /** A new cgroup with these limits, or null when there are no cgroups (or this one could not be made). */
  create(name: string, limits: CgroupLimits): Cgroup | null;
  /** Removes `cgroup` as soon as no process is left in it. */
  release(cgroup: Cgroup): void;
  /** Kills what is left in the parent's children (a previous daemon's, after `kill -9`) and removes them. */
  sweep(): Promise<number>;
  /** `sweep`, then the parent itself: after it, the daemon leaves no cgroup behind. */
  close(): Promise<void>;
}

export interface CgroupOptions {
  readonly home: string;
  readonly onError: (err: unknown) => void;
  /** `off` forces the watchdog (NIGHTSHIFT_CGROUPS=off); otherwise what the machine offers. */
  readonly enabled?: boolean;
  readonly layout?: CgroupLayout;
}

const RELEASE_POLL_MS = 50;
const RELEASE_TRIES = 200;

export function createCgroupManager(opts: CgroupOptions): CgroupManager {
  const layout: CgroupLayout =
    opts.enabled === false
      ? { kind: 'none', reason: 'cgroups are turned off (NIGHTSHIFT_CGROUPS=off)' }
      : (opts.layout ?? detectCgroups());
  const parentName = parentCgroupName(opts.home);
  let parents: string[] = [];
  let make: ((name: string, limits: CgroupLimits) => Cgroup) | null = null;
  let mode: CgroupMode = 'none';
  let reason: string | null = layout.kind === 'none' ? layout.reason : null;
  try {
    if (layout.kind === 'v2') {
      const parent = join(layout.base, parentName);
      prepareV2Parent(layout.base, parent);
      parents = [parent];
      make = (name, limits) => createV2(parent, name, limits);
      mode = 'v2';
    } else if (layout.kind === 'v1') {
      const byController: Partial<Record<V1Controller, string>> = {};
      for (const [c, base] of Object.entries(layout.bases) as [V1Controller, string][]) {
        byController[c] = join(base, parentName);
      }
      parents = Object.values(byController);
      for (const p of parents) mkdirp(p);
      make = (name, limits) => createV1(byController, name, limits);
      mode = 'v1';
    }
  } catch (err) {
    reason = `cannot create the daemon's cgroup: ${(err as Error).message}`;
    make = null;
    mode = 'none';
  }
  let seq = 0;
  const pending = new Set<Cgroup>();

  const children = (): string[][] => {
    const names = new Set<string>();
    for (const p of parents) for (const n of listDirs(p)) names.add(n);
    return [...names].map((n) => parents.map((p) => join(p, n)));
  };

  const sweep = async (): Promise<number> => {
    const leftovers = children();
    for (const dirs of leftovers) for (const dir of dirs) for (const pid of pidsIn(dir)) kill(pid);
    for (let i = 0; i < RELEASE_TRIES; i++) {
      const left = leftovers.filter((dirs) => !removeDirs(dirs));
      if (left.length === 0) break;
      await delay(RELEASE_POLL_MS);
    }
    return leftovers.length;
  };

  return {
    mode,
    reason,
    create(name, limits) {
      if (!make) return null;
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          // The daemon's pid keeps names apart across incarnations: a test (or an operator) can tell a swept
          // cgroup from its successor.
          return make(`${name}.${process.pid}-${++seq}`, limits);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
          opts.onError(err);
          return null;
        }
      }
      return null;
    },
    release(cgroup) {
      if (cgroup.remove()) return;
      pending.add(cgroup);
      let tries = 0;
      const retry = () => {
        if (cgroup.remove() || ++tries >= RELEASE_TRIES) {
          pending.delete(cgroup);
          return;
        }
        setTimeout(retry, RELEASE_POLL_MS).unref();
      };
      setTimeout(retry, RELEASE_POLL_MS).unref();
    },
    sweep,
    async close() {
      pending.clear();
      await sweep();
      removeDirs(parents);
    },
  };
}

/** Our own level only: a missing hierarchy root is not ours to create. */
function mkdirp(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
