import type { ExitInfo, PsEntry } from '@nightshift/protocol';
import type { Moment } from './pure/lifecycle.js';
import { isCrashLoop } from './pure/crash-loop.js';
import type { AppRuntime } from './app-runtime.js';
import type { ReplicaRunner } from './replica.js';

/** A `ps` line as the supervisor knows it; usage (CPU, memory) is the metrics sampler's to add. */
export type ReplicaLine = Omit<PsEntry, 'cpuPercent' | 'memoryBytes'>;

/** The `ps` lines of the named apps (those not running are skipped), processes in name order. */
export function psOf(
  apps: ReadonlyMap<string, AppRuntime>,
  names: readonly string[],
  now: Moment,
): ReplicaLine[] {
  const out: ReplicaLine[] = [];
  for (const name of names) {
    const rt = apps.get(name);
    if (!rt) continue;
    // Code-unit order (names are ASCII): localeCompare would map ICU's collation data into the daemon.
    for (const [, runners] of [...rt.runners.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (const r of runners) out.push(psEntry(name, r, now));
    }
  }
  return out;
}

function psEntry(app: string, r: ReplicaRunner, now: Moment): ReplicaLine {
  const s = r.state;
  const lastExit: ExitInfo | null = s.lastExit
    ? {
        code: s.lastExit.code,
        signal: s.lastExit.signal,
        at: new Date(s.lastExit.at).toISOString(),
        cause: s.lastExit.cause ?? null,
      }
    : null;
  const limits = r.limits;
  return {
    app,
    process: r.process,
    replica: r.name,
    state: isCrashLoop(s) ? 'crash-loop' : s.status,
    // A replica in backoff keeps its last pid for reaping; shown, it would name a process that is gone.
    pid: s.status === 'running' || s.status === 'starting' || s.status === 'stopping' ? r.pid : null,
    startedAt: s.startedAt === null ? null : new Date(s.startedAt).toISOString(),
    restarts: s.restarts,
    lastExit,
    // The retry is timed on the monotonic clock; shown, it is placed on the wall clock from now.
    nextRetryAt:
      s.retryAt === null ? null : new Date(now.wall + Math.max(0, s.retryAt - now.mono)).toISOString(),
    release: r.release === null ? null : `v${r.release}`,
    health: r.health,
    limits:
      limits && (limits.memoryBytes !== null || limits.cpu !== null)
        ? {
            memoryBytes: limits.memoryBytes,
            cpu: limits.cpu,
            // Only a running process has (or lacks) a cgroup; between runs the last one's way is shown.
            enforcement: r.cgroup !== null || r.enforcedByKernel ? 'kernel' : 'soft',
          }
        : null,
  };
}
