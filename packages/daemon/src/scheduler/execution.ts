import type { Cgroup, CgroupLimits, CgroupManager } from '../cgroups/index.js';
import type { ProcessDriver, ProcessHandle } from '../drivers/index.js';
import type { Clock } from '../runtime/clock.js';
import type { OutputSink } from '../process/output.js';
import { groupGone, terminateGroup } from '../process/stop-group.js';
import { after, type Timer } from '../runtime/timers.js';
import { finalStatus, type RunStatus, type StopCause } from './pure/status.js';

/** What one run executes, resolved by the scheduler from the live release at fire time. */
export interface RunLaunch {
  readonly id: number;
  readonly app: string;
  readonly job: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** The run's own log file (through the log pipeline, capped there). */
  readonly logPath: string;
  readonly timeoutMs: number | null;
  /** The job's `resources`, enforced by the run's cgroup. */
  readonly limits?: CgroupLimits;
}

/** What a run execution needs from the daemon. */
export interface ExecutionDeps {
  readonly driver: ProcessDriver;
  readonly output: OutputSink;
  readonly clock: Clock;
  /** SIGTERM → SIGKILL delay for timeouts, replacement and daemon stop. */
  readonly killGraceMs: number;
  readonly onError: (err: unknown) => void;
  readonly cgroups?: CgroupManager;
}

/** How a run ended. */
export interface RunEnd {
  readonly status: Exclude<RunStatus, 'queued' | 'running' | 'skipped'>;
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Null when the process never started. */
  readonly startedAt: number | null;
  readonly finishedAt: number;
}

/** Output still in the pipes when the group is gone is read for at most this long. */
const OUTPUT_SETTLE_MS = 2_000;

/**
 * One run as a process group: spawned detached, its output captured into its run log, stopped as a group on
 * timeout, replacement or daemon stop (SIGTERM, SIGKILL after the grace), and never outliving its leader:
 * whatever the leader left behind in its group is killed when it exits.
 * States: created → spawning → running → ended; `stop` may come in any of them and decides the final status.
 */
export class RunExecution {
  readonly launch: RunLaunch;
  #deps: ExecutionDeps;
  #handle: ProcessHandle | null = null;
  #cause: StopCause | null = null;
  #killTimer: Timer | null = null;
  #ended: Promise<RunEnd> | null = null;
  #exited = false;
  #cgroup: Cgroup | null = null;

  constructor(launch: RunLaunch, deps: ExecutionDeps) {
    this.launch = launch;
    this.#deps = deps;
  }

  get pid(): number | null {
    return this.#handle?.pid ?? null;
  }

  /** The run's cgroup while it runs (CPU and memory accounting), null without one. */
  get cgroup(): Cgroup | null {
    return this.#cgroup;
  }

  /** Settles when the run ended; `onSpawned` is told as soon as the process exists. */
  start(onSpawned: (handle: ProcessHandle, at: number) => void): Promise<RunEnd> {
    this.#ended ??= this.#run(onSpawned);
    return this.#ended;
  }

  /** Asks the run to end: SIGTERM to its group now, SIGKILL after the grace. The first cause wins. */
  stop(cause: StopCause): void {
    // A run whose leader already exited on its own keeps the status of that exit.
    if (this.#cause || this.#exited) return;
    this.#cause = cause;
    if (this.#handle) this.#terminate(this.#handle.pid);
  }

  async #run(onSpawned: (handle: ProcessHandle, at: number) => void): Promise<RunEnd> {
    const { driver, output, clock } = this.#deps;
    const l = this.launch;
    if (this.#cause) return this.#end({ code: null, signal: null }, null);
    let handle: ProcessHandle;
    // Every run gets its own cgroup, limited or not, so what it uses is accounted apart.
    const cgroup =
      this.#deps.cgroups?.create(
        `${l.app}.cron.${l.job}.${l.id}`,
        l.limits ?? { memoryBytes: null, cpu: null },
      ) ?? null;
    this.#cgroup = cgroup;
    let startedAt: number;
    try {
      const spawning = driver.spawn({ argv: l.argv, cwd: l.cwd, env: l.env, launcher: cgroup?.launcher });
      // The process exists once spawn returns (fork and exec are synchronous); its 'spawn' event comes only
      // after the rest of the batch of claims has been spawned, so the time read then would be the batch's end.
      startedAt = clock.now();
      handle = await spawning;
    } catch (err) {
      this.#cgroup = null;
      if (cgroup) this.#deps.cgroups?.release(cgroup);
      return {
        status: 'failed',
        reason: `could not start: ${(err as Error).message}`,
        exitCode: null,
        signal: null,
        startedAt: null,
        finishedAt: clock.now(),
      };
    }
    this.#handle = handle;
    try {
      onSpawned(handle, startedAt);
    } catch (err) {
      this.#deps.onError(err);
    }
    const target = { app: l.app, process: 'cron', source: `cron:${l.job}#${l.id}`, runLog: l.logPath };
    const captured = Promise.all([
      output.capture(target, 'out', handle.stdout),
      output.capture(target, 'err', handle.stderr),
    ]).catch(this.#deps.onError);
    if (this.#cause) this.#terminate(handle.pid);
    const timeout =
      l.timeoutMs === null
        ? null
        : after(l.timeoutMs, () =>
            this.stop({ status: 'timed_out', reason: `ran longer than its timeout of ${l.timeoutMs} ms` }),
          );
    const exit = await handle.exited;
    this.#exited = true;
    timeout?.cancel();
    if (this.#cause) {
      // Being stopped: the rest of the group gets the same grace the leader had, then SIGKILL.
      await groupGone(driver, handle.pid);
    } else {
      driver.signalGroup(handle.pid, 'SIGKILL');
    }
    this.#killTimer?.cancel();
    const oom = cgroup !== null && cgroup.oomKills() > 0;
    if (cgroup) {
      await groupGone(driver, handle.pid);
      this.#cgroup = null;
      this.#deps.cgroups?.release(cgroup);
    }
    await Promise.race([captured, delay(OUTPUT_SETTLE_MS)]);
    const end = this.#end(exit, startedAt);
    if (!oom || end.status !== 'failed') return end;
    const limit = l.limits?.memoryBytes;
    const at = limit ? ` at its limit of ${Math.round(limit / 1024 / 1024)}Mi` : '';
    return { ...end, reason: `oom: killed by the kernel${at}` };
  }

  #end(exit: { code: number | null; signal: string | null }, startedAt: number | null): RunEnd {
    const { status, reason } = finalStatus(exit, this.#cause);
    return {
      status: status as RunEnd['status'],
      reason,
      exitCode: exit.code,
      signal: exit.signal,
      startedAt,
      finishedAt: this.#deps.clock.now(),
    };
  }

  #terminate(pid: number): void {
    if (this.#killTimer) this.#deps.driver.signalGroup(pid, 'SIGTERM');
    else this.#killTimer = terminateGroup(this.#deps.driver, pid, this.#deps.killGraceMs);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
