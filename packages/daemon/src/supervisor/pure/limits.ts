import { ErrorCodes, NightshiftError } from '@nightshift/protocol';

/**
 * How many replicas one daemon will run. Without a bound, `replicas: 100000` spawned until the machine ran
 * out of file descriptors and the daemon stopped answering; the limits are settings of the daemon
 * (NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS, NIGHTSHIFT_MAX_REPLICAS), so a bigger machine raises them.
 */
export interface ReplicaLimits {
  readonly perProcess: number;
  readonly perDaemon: number;
}

export const DEFAULT_REPLICA_LIMITS: ReplicaLimits = { perProcess: 100, perDaemon: 500 };

export interface WantedCount {
  readonly process: string;
  /** Replicas this process would run. */
  readonly count: number;
  /** The most it may run (autoscale's max), when more than `count`. */
  readonly max?: number;
}

/**
 * Throws NS_REPLICA_LIMIT when one process, or the daemon as a whole (`others` = every other app's
 * replicas), would go over a limit. `how` says where the count came from (`the manifest`, `scale`).
 */
export function checkReplicaLimits(
  app: string,
  wanted: readonly WantedCount[],
  others: number,
  limits: ReplicaLimits,
  how: string,
): void {
  for (const w of wanted) {
    const most = Math.max(w.count, w.max ?? 0);
    if (most > limits.perProcess) {
      throw new NightshiftError(
        ErrorCodes.replicaLimit,
        `${app}/${w.process}: ${most} replicas (from ${how}) is over this daemon's limit of ${limits.perProcess} per process`,
        `use at most ${limits.perProcess}, or raise the limit: start the daemon with NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS=${most}`,
      );
    }
  }
  const total = others + wanted.reduce((sum, w) => sum + w.count, 0);
  if (total > limits.perDaemon) {
    throw new NightshiftError(
      ErrorCodes.replicaLimit,
      `${app}: ${total} replicas on this daemon (${others} of other apps) would be over its limit of ${limits.perDaemon}`,
      `scale something down, or raise the limit: start the daemon with NIGHTSHIFT_MAX_REPLICAS=${total}`,
    );
  }
}
