import { readdirSync } from 'node:fs';
import { readProcStat } from '../drivers/local/proc.js';
import type { GroupUsage, UsageReader } from './usage.js';

/** Linux reports CPU times in USER_HZ ticks, 100 a second on every architecture Node runs on (times(2)). */
const TICKS_PER_SECOND = 100;
/** stat's rss counts pages; 4 KiB on x86-64 and the usual arm64 kernels. */
const PAGE_BYTES = 4096;

/**
 * Group usage from `/proc`: one walk over `/proc` per pass finds the members of every group asked for (a walk
 * per group would cost 50 walks with 50 replicas); CPU ticks and resident pages both come from each member's
 * `stat`, which the walk reads anyway (`statm` would be a second read per member for the same number).
 */
export function procUsageReader(): UsageReader {
  return {
    read(pgids) {
      const wanted = new Set(pgids);
      const out = new Map<number, GroupUsage>();
      if (wanted.size === 0) return out;
      for (const name of readdirSync('/proc')) {
        const pid = Number(name);
        if (!Number.isInteger(pid) || pid <= 0) continue;
        const stat = readProcStat(pid);
        if (!stat || stat.state === 'Z' || !wanted.has(stat.pgrp)) continue;
        const before = out.get(stat.pgrp) ?? { cpuSeconds: 0, memoryBytes: 0, processes: 0 };
        out.set(stat.pgrp, {
          cpuSeconds: before.cpuSeconds + (stat.utimeTicks + stat.stimeTicks) / TICKS_PER_SECOND,
          memoryBytes: before.memoryBytes + (Number.isFinite(stat.rssPages) ? stat.rssPages * PAGE_BYTES : 0),
          processes: before.processes + 1,
        });
      }
      return out;
    },
  };
}
