import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectCgroups } from '../../packages/daemon/src/cgroups/detect.js';
import { parentCgroupName } from '../../packages/daemon/src/cgroups/parent-name.js';

/** The daemon's parent cgroup dirs for a home (one per v1 hierarchy, one for v2), as the daemon names them. */
export function parentDirs(home: string): string[] {
  const name = parentCgroupName(home);
  const layout = detectCgroups();
  if (layout.kind === 'v2') return [join(layout.base, name)];
  if (layout.kind === 'v1') return Object.values(layout.bases).map((b) => join(b, name));
  return [];
}

/** Why cgroup tests cannot run here, or null when the machine lets the daemon make cgroups. */
export function cgroupsUnavailable(): string | null {
  const layout = detectCgroups();
  return layout.kind === 'none' ? layout.reason : null;
}

/** Child cgroups (one per replica start or cron run) under the home's parents. */
export function childCgroups(home: string): string[] {
  return parentDirs(home).flatMap((p) => {
    try {
      return readdirSync(p, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(p, d.name));
    } catch {
      return [];
    }
  });
}

export function anyParentLeft(home: string): boolean {
  return parentDirs(home).some((p) => existsSync(p));
}

/** CPU seconds (user + system) of a process, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
