import { describe, expect, it } from 'vitest';
import type { Cgroup } from '../../src/cgroups/index.js';
import { cgroupCpuReader } from '../../src/metrics/cgroup-usage.js';
import type { GroupUsage, UsageReader } from '../../src/metrics/usage.js';

const proc: UsageReader = {
  read: (pgids) =>
    new Map(pgids.map((p): [number, GroupUsage] => [p, { cpuSeconds: 1, memoryBytes: 100, processes: 2 }])),
};

function cgroup(cpuSeconds: number | null): Cgroup {
  return { cpuSeconds: () => cpuSeconds, memoryBytes: () => 999 } as unknown as Cgroup;
}

describe('cgroupCpuReader', () => {
  it("takes CPU from a replica's cgroup (exited children count) and memory from /proc (RSS, not page cache)", () => {
    const reader = cgroupCpuReader(
      proc,
      () =>
        new Map([
          [10, cgroup(7.5)],
          [11, cgroup(null)],
        ]),
    );
    const usage = reader.read([10, 11, 12]);
    expect(usage.get(10)).toEqual({ cpuSeconds: 7.5, memoryBytes: 100, processes: 2 });
    expect(usage.get(11)).toEqual({ cpuSeconds: 1, memoryBytes: 100, processes: 2 });
    expect(usage.get(12)).toEqual({ cpuSeconds: 1, memoryBytes: 100, processes: 2 });
  });
});
