import type { HealthSpec } from '@nightshift/manifest';
import type { Cgroup, CgroupLimits, CgroupManager } from '../cgroups/index.js';
import type { ProcessDriver, ProcessHandle } from '../drivers/index.js';
import type { EventBus } from '../events/index.js';
import type { Clock } from '../runtime/clock.js';
import type { OutputSink } from '../process/output.js';
import { watchGroupGone } from '../process/stop-group.js';
import { after, systemTimers, type Timer, type Timers } from '../runtime/timers.js';
import { causeText, type Guards, type ProbeOptions, startGuards } from './guards.js';
import {
  type Effect,
  type ExitCause,
  type LifecycleEvent,
  type LifecyclePolicy,
  type ReplicaState,
  initialState,
  transition,
} from './pure/lifecycle.js';

/** What a replica needs to start: resolved fresh at each start, so a restart picks up the live release. */
export interface Launch {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly release: number;
  readonly policy: LifecyclePolicy;
  /** The probe and the port it addresses for this replica (port + replica − 1); null: never probed. */
  readonly health?: { readonly spec: HealthSpec; readonly port: number } | null;
  /** `resources` of the process: enforced by its cgroup, or by the watchdog where there is none. */
  readonly limits?: CgroupLimits | null;
}

/** The part of a Launch a replica keeps while its process runs. */
type KeptLaunch = Pick<Launch, 'release' | 'policy' | 'health' | 'limits'>;

export type { ProbeOptions } from './guards.js';

export interface ReplicaDeps {
  readonly driver: ProcessDriver;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly output: OutputSink;
  /** Called after every state change so the store can keep the row current. */
  readonly persist: (r: ReplicaRunner) => void;
  readonly onError: (err: unknown) => void;
  /** The lifecycle's timers (retry, grace); simulations bring their own. */
  readonly timers?: Timers;
  /** Absent: no cgroups and no watchdog (unit simulations). */
  readonly cgroups?: CgroupManager;
  readonly probes?: ProbeOptions;
}

/** How long a crash waits for the tail of the output before reporting the last lines. */
const OUTPUT_SETTLE_MS = 150;

/**
 * The effectful shell around the pure lifecycle of one replica: it spawns, signals, sleeps and reports,
 * and feeds what happens back into `transition`.
 */
export class ReplicaRunner {
  readonly app: string;
  readonly process: string;
  readonly idx: number;
  #state: ReplicaState;
  #handle: ProcessHandle | null = null;
  #pid: number | null;
  #procStart: string | null;
  #release: number | null;
  /** What the running process was started with, less argv, cwd and env (needed only to spawn it). */
  #launch: KeptLaunch | null = null;
  #spawnError: string | null = null;
  #timers = new Set<Timer>();
  /** Cancels the watch for the group's end, while one runs. */
  #watch: (() => void) | null = null;
  #waiters = new Set<() => void>();
  /** The probe and the soft memory watchdog of the running process. */
  #guards: Guards | null = null;
  #cgroup: Cgroup | null = null;
  /** Set when the daemon itself killed the process for a reason the exit status cannot tell. */
  #killedFor: ExitCause | null = null;
  #inCgroup = false;
  #resolveLaunch: () => Launch;
  #resolvePolicy: () => LifecyclePolicy;
  #deps: ReplicaDeps;

  constructor(
    id: { app: string; process: string; idx: number },
    resolveLaunch: () => Launch,
    resolvePolicy: () => LifecyclePolicy,
    deps: ReplicaDeps,
    restored?: { restarts: number; lastExit: ReplicaState['lastExit']; release: number | null },
  ) {
    this.app = id.app;
    this.process = id.process;
    this.idx = id.idx;
    this.#resolveLaunch = resolveLaunch;
    this.#resolvePolicy = resolvePolicy;
    this.#deps = deps;
    this.#state = { ...initialState(restored?.restarts ?? 0), lastExit: restored?.lastExit ?? null };
    this.#pid = null;
    this.#procStart = null;
    this.#release = restored?.release ?? null;
  }

  get name(): string {
    return `${this.process}.${this.idx}`;
  }
  get state(): ReplicaState {
    return this.#state;
  }
  get pid(): number | null {
    return this.#pid;
  }
  get procStart(): string | null {
    return this.#procStart;
  }
  get release(): number | null {
    return this.#release;
  }
  /** The running process's cgroup (CPU and memory accounting for the metrics sampler); null without one. */
  get cgroup(): Cgroup | null {
    return this.#cgroup;
  }
  /**
   * `healthy`, `starting` or `unhealthy (2/3)` while the process is up and has a probe; null when the process
   * has no `health` (it is never probed) or is not running.
   */
  get health(): string | null {
    if (!this.#launch?.health) return null;
    if (this.#state.status === 'starting') return 'starting';
    return this.#state.status === 'running' ? (this.#guards?.health ?? 'starting') : null;
  }
  /** Whether the last process started inside a cgroup (its limits were the kernel's to enforce). */
  get enforcedByKernel(): boolean {
    return this.#inCgroup;
  }
  /** The limits the running process was started with, if any. */
  get limits(): CgroupLimits | null {
    return this.#launch?.limits ?? null;
  }
  /** Why the last start failed before a process existed (E2BIG, ENOENT, EMFILE…); null once one started. */
  get spawnError(): string | null {
    return this.#spawnError;
  }

  start(): void {
    this.dispatch({ type: 'start' });
  }
  stop(): void {
    this.dispatch({ type: 'stop' });
  }

  /** Resolves when `pred` holds for the state (checked after every change), or rejects after `timeoutMs`. */
  waitFor(pred: (s: ReplicaState) => boolean, timeoutMs: number): Promise<void> {
    if (pred(this.#state)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pred(this.#state)) {
          timer.cancel();
          this.#waiters.delete(check);
          resolve();
        }
      };
      // A wait as long as a stop grace can exceed what a plain timer holds.
      const timer = after(timeoutMs, () => {
        this.#waiters.delete(check);
        reject(new Error(`${this.app}/${this.name}: still ${this.#state.status} after ${timeoutMs} ms`));
      });
      this.#waiters.add(check);
    });
  }

  dispatch(event: LifecycleEvent): void {
    if (event.type === 'spawn-failed') this.#spawnError = event.error;
    else if (event.type === 'spawned') this.#spawnError = null;
    // The policy alone, not a whole launch: building an environment can fail (a secret that no longer
    // decrypts) and must only fail a spawn, never a stop.
    const policy = this.#launch?.policy ?? this.#resolvePolicy();
    const before = this.#state;
    const { clock } = this.#deps;
    const { state, effects } = transition(
      before,
      event,
      { wall: clock.now(), mono: clock.monotonic() },
      policy,
    );
    this.#state = state;
    if (state.status !== 'running') this.#stopMonitors();
    for (const effect of effects) this.#run(effect);
    if (state !== before) {
      this.#deps.persist(this);
      for (const waiter of [...this.#waiters]) waiter();
    }
  }

  /** Cancels timers and watches; the process itself is left to `stop`. */
  dispose(): void {
    this.#stopMonitors();
    for (const t of this.#timers) t.cancel();
    this.#timers.clear();
    this.#watch?.();
    this.#watch = null;
  }

  #run(effect: Effect): void {
    const { bus, clock, driver } = this.#deps;
    const who = { app: this.app, process: this.process, replica: this.name };
    switch (effect.type) {
      case 'spawn':
        this.#spawn();
        return;
      case 'signal-group':
        if (this.#pid !== null) driver.signalGroup(this.#pid, effect.signal);
        return;
      case 'schedule': {
        const timers = this.#deps.timers ?? systemTimers;
        const timer = timers.after(effect.at - clock.monotonic(), () => {
          this.#timers.delete(timer);
          this.dispatch({ type: effect.event });
        });
        this.#timers.add(timer);
        return;
      }
      case 'watch-group':
        this.#watchGroup();
        return;
      case 'emit-started':
        this.#startMonitors();
        bus.emit({
          type: 'replica:started',
          ...who,
          message: `${this.name} started (pid ${this.#pid}, v${this.#release})`,
          data: { release: `v${this.#release}`, pid: this.#pid ?? 0, afterCrash: this.#state.streak > 0 },
        });
        return;
      case 'emit-crashed': {
        const exit = this.#state.lastExit;
        const how = exit?.signal ? `signal ${exit.signal}` : `exit code ${exit?.code}`;
        const memoryLimit = this.#launch?.limits?.memoryBytes ?? null;
        const why = exit?.cause ? `, ${causeText(exit.cause, memoryLimit)}` : '';
        bus.emit({
          type: 'replica:crashed',
          ...who,
          message: `${this.name} crashed (${how}${why}) after ${effect.ranMs} ms; ${effect.restartInMs === null ? 'not restarting (max_restarts reached)' : `restarting in ${effect.restartInMs} ms`}`,
          data: {
            pid: this.#pid,
            release: this.#release === null ? null : `v${this.#release}`,
            code: exit?.code ?? null,
            signal: exit?.signal ?? null,
            cause:
              exit?.cause ??
              (exit?.signal === 'SIGKILL' ? 'killed (SIGKILL: out of memory or killed from outside)' : null),
            ...(exit?.cause === 'oom' || exit?.cause === 'memory_limit'
              ? { memoryLimitBytes: memoryLimit }
              : {}),
            ranMs: effect.ranMs,
            restartInMs: effect.restartInMs,
            lastLines: this.#deps.output.lastLines(this.app, this.name, 20),
          },
        });
        return;
      }
      case 'emit-spawn-failed':
        bus.emit({
          type: 'replica:spawn-failed',
          ...who,
          message: `${this.name} could not start: ${effect.error}; ${effect.restartInMs === null ? 'not retrying (max_restarts reached)' : `retrying in ${effect.restartInMs} ms`}`,
          data: { error: effect.error, restartInMs: effect.restartInMs },
        });
        return;
      case 'emit-failed': {
        const exit = this.#state.lastExit;
        bus.emit({
          type: 'replica:failed',
          ...who,
          message: `${this.name} failed: ${effect.crashes} crashes in a row reached restart.max_restarts; it stays stopped until \`nightshift start ${this.process}\`, \`restart\` or a deploy`,
          data: {
            crashes: effect.crashes,
            code: exit?.code ?? null,
            signal: exit?.signal ?? null,
            error: this.#spawnError,
            lastLines: this.#deps.output.lastLines(this.app, this.name, 20),
          },
        });
        return;
      }
      case 'emit-stopped': {
        const exit = this.#state.lastExit;
        const pid = this.#pid;
        this.#pid = null;
        this.#procStart = null;
        bus.emit({
          type: 'replica:stopped',
          ...who,
          message: `${this.name} stopped`,
          data: {
            pid,
            code: exit?.code ?? null,
            signal: exit?.signal ?? null,
            killed: exit?.signal === 'SIGKILL',
          },
        });
        return;
      }
    }
  }

  #spawn(): void {
    let launch: Launch;
    try {
      launch = this.#resolveLaunch();
    } catch (err) {
      queueMicrotask(() => this.dispatch({ type: 'spawn-failed', error: (err as Error).message }));
      return;
    }
    // Not the whole launch: its environment (an object of a few dozen entries per replica) is needed only to spawn.
    this.#launch = {
      release: launch.release,
      policy: launch.policy,
      health: launch.health,
      limits: launch.limits,
    };
    this.#killedFor = null;
    const cgroup = this.#deps.cgroups?.create(`${this.app}.${this.name}`, launch.limits ?? NO_LIMITS) ?? null;
    this.#cgroup = cgroup;
    this.#inCgroup = cgroup !== null;
    const spec = { argv: launch.argv, cwd: launch.cwd, env: launch.env, launcher: cgroup?.launcher };
    // The callbacks below outlive the spawn; they see the release, not the launch (which would keep its env).
    const release = launch.release;
    this.#deps.driver.spawn(spec).then(
      (handle) => {
        this.#handle = handle;
        this.#pid = handle.pid;
        this.#procStart = handle.procStart;
        this.#release = release;
        const target = { app: this.app, process: this.process, source: this.name };
        const captured = Promise.all([
          this.#deps.output.capture(target, 'out', handle.stdout),
          this.#deps.output.capture(target, 'err', handle.stderr),
        ]).catch(this.#deps.onError);
        this.dispatch({ type: 'spawned' });
        void handle.exited.then(async (status) => {
          await Promise.race([captured, delay(OUTPUT_SETTLE_MS)]);
          if (this.#handle === handle) this.#handle = null;
          // The kernel's OOM killer may have killed a child, not the leader: the counter tells, not the status.
          const cause = cgroup && cgroup.oomKills() > 0 ? 'oom' : this.#killedFor;
          this.#releaseCgroup(cgroup, handle.pid);
          this.dispatch({ type: 'exited', code: status.code, signal: status.signal, cause });
        });
      },
      (err: unknown) => {
        this.#releaseCgroup(cgroup, null);
        this.dispatch({ type: 'spawn-failed', error: (err as Error).message });
      },
    );
  }

  /** Removes the process's cgroup once nothing of its group is left (a crash SIGKILLs the rest first). */
  #releaseCgroup(cgroup: Cgroup | null, pgid: number | null): void {
    if (!cgroup) return;
    if (this.#cgroup === cgroup) this.#cgroup = null;
    const manager = this.#deps.cgroups;
    if (!manager) return;
    watchGroupGone(this.#deps.driver, pgid, () => manager.release(cgroup));
  }

  #startMonitors(): void {
    this.#stopMonitors();
    const launch = this.#launch;
    const pid = this.#pid;
    if (!launch || pid === null) return;
    const memory = launch.limits?.memoryBytes ?? null;
    // Where a cgroup holds the process the kernel enforces the limit; elsewhere the watchdog does, softly.
    const softMemoryBytes = this.#deps.cgroups && !this.#cgroup ? memory : null;
    // Nothing to watch: no guards at all (their closures would be held per replica for nothing).
    if (!launch.health && softMemoryBytes === null) return;
    this.#guards = startGuards({
      pid,
      health: launch.health ?? null,
      softMemoryBytes,
      clock: this.#deps.clock,
      probes: this.#deps.probes,
      onUnhealthy: (error, failures) => this.#unhealthy(error, failures),
      onOverMemory: () => {
        this.#killedFor = 'memory_limit';
        this.#deps.driver.signalGroup(pid, 'SIGKILL');
      },
    });
  }

  #stopMonitors(): void {
    this.#guards?.stop();
    this.#guards = null;
  }

  #unhealthy(error: string, failures: number): void {
    const port = this.#launch?.health?.port ?? 0;
    this.#deps.bus.emit({
      type: 'replica:unhealthy',
      app: this.app,
      process: this.process,
      replica: this.name,
      message: `${this.name} failed ${failures} health probes in a row on port ${port} (${error}); restarting it`,
      data: {
        error,
        failures,
        port,
        release: this.#release === null ? null : `v${this.#release}`,
        lastLines: this.#deps.output.lastLines(this.app, this.name, 20),
      },
    });
    this.dispatch({ type: 'unhealthy' });
  }

  #watchGroup(): void {
    if (this.#watch) return;
    let gone = false;
    const cancel = watchGroupGone(this.#deps.driver, this.#pid, () => {
      gone = true;
      this.#watch = null;
      this.dispatch({ type: 'group-gone' });
    });
    // A group already gone is reported at once, before there is a watch to keep.
    if (!gone) this.#watch = cancel;
  }
}

const NO_LIMITS: CgroupLimits = { memoryBytes: null, cpu: null };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
