/** What one replica's process group uses at one moment: sums over every live process of the group. */
export interface GroupUsage {
  /** User + system CPU time of the group's live processes, in seconds. */
  readonly cpuSeconds: number;
  readonly memoryBytes: number;
  readonly processes: number;
}

/**
 * Reads the usage of many process groups in one pass. The `/proc` reader sums the group's processes; a cgroup
 * reader (issue 15, part A) can stand in for replicas that have their own cgroup, through the same method.
 */
export interface UsageReader {
  /** Usage per process-group id; a group with no live process is absent. */
  read(pgids: readonly number[]): Map<number, GroupUsage>;
}
