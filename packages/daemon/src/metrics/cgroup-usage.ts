import type { Cgroup } from '../cgroups/index.js';
import type { GroupUsage, UsageReader } from './usage.js';

/**
 * `/proc` for every group, with CPU seconds taken from the replica's cgroup where it has one: the cgroup also
 * counts the processes of the group that have already exited, which a walk of `/proc` never sees. Memory stays
 * the group's summed RSS: a cgroup's charge includes page cache, which is not what `ps` calls memory
 * (docs/architecture.md, "Process metrics").
 */
export function cgroupCpuReader(proc: UsageReader, cgroups: () => ReadonlyMap<number, Cgroup>): UsageReader {
  return {
    read(pgids) {
      const out = proc.read(pgids);
      const byPid = cgroups();
      for (const [pgid, usage] of out) {
        const cpuSeconds = byPid.get(pgid)?.cpuSeconds() ?? null;
        if (cpuSeconds !== null) out.set(pgid, { ...usage, cpuSeconds } satisfies GroupUsage);
      }
      return out;
    },
  };
}
