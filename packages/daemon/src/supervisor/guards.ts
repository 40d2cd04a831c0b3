import type { HealthSpec } from '@nightshift/manifest';
import { startMemoryWatchdog } from '../cgroups/index.js';
import type { Clock } from '../runtime/clock.js';
import type { ExitCause } from './pure/lifecycle.js';
import type { ProbeCheck } from './probe/check.js';
import { HealthMonitor } from './probe/monitor.js';
import type { Timers } from '../runtime/timers.js';

/** How probes run: tests bring their own timers and checks; the clock is the replica's. */
export interface ProbeOptions {
  readonly timers?: Timers;
  readonly check?: ProbeCheck;
}

/** What watches one running process besides its exit. */
export interface Guards {
  /** The probe's `healthy` / `starting` / `unhealthy (2/3)`; null without a probe. */
  readonly health: string | null;
  stop(): void;
}

export interface GuardSpec {
  readonly pid: number;
  readonly health: { readonly spec: HealthSpec; readonly port: number } | null;
  /** The memory limit the watchdog enforces; null where a cgroup does (or there is none). */
  readonly softMemoryBytes: number | null;
  readonly clock: Clock;
  readonly probes: ProbeOptions | undefined;
  /** The probe gave up on the process. */
  readonly onUnhealthy: (error: string, failures: number) => void;
  /** The watchdog found the group over its limit 3 samples in a row. */
  readonly onOverMemory: () => void;
}

/**
 * The health probe (only where `health` is set) and, where limits are soft, the memory watchdog of one running
 * process. Started when it runs, stopped when it leaves `running`.
 */
export function startGuards(g: GuardSpec): Guards {
  const monitor = g.health
    ? new HealthMonitor(g.health.spec, g.health.port, {
        clock: g.clock,
        timers: g.probes?.timers,
        check: g.probes?.check,
        onUnhealthy: g.onUnhealthy,
      })
    : null;
  const stopWatchdog =
    g.softMemoryBytes === null ? null : startMemoryWatchdog(g.pid, g.softMemoryBytes, g.onOverMemory);
  return {
    get health() {
      return monitor?.label ?? null;
    },
    stop() {
      monitor?.stop();
      stopWatchdog?.();
    },
  };
}

/** The crash message's words for a cause the daemon knows. */
export function causeText(cause: ExitCause, memoryLimit: number | null): string {
  const limit = memoryLimit === null ? '' : ` of ${Math.round(memoryLimit / 1024 / 1024)}Mi`;
  switch (cause) {
    case 'oom':
      return `out of memory: killed by the kernel at its limit${limit}`;
    case 'memory_limit':
      return `over its memory limit${limit} for 3 samples: killed by the watchdog`;
    case 'unhealthy':
      return 'restarted after failed health probes';
  }
}
