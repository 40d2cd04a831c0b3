import type { ProcessDriver, ProcessHandle } from '../drivers/index.js';
import type { EventBus } from '../events/index.js';
import type { Clock } from '../runtime/clock.js';
import type { OutputSink } from '../process/output.js';
import { watchGroupGone } from '../process/stop-group.js';
import { after, systemTimers, type Timer, type Timers } from '../runtime/timers.js';
import {
  type Effect,
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
}

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
  #launch: Launch | null = null;
  #spawnError: string | null = null;
  #timers = new Set<Timer>();
  /** Cancels the watch for the group's end, while one runs. */
  #watch: (() => void) | null = null;
  #waiters = new Set<() => void>();
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
    for (const effect of effects) this.#run(effect);
    if (state !== before) {
      this.#deps.persist(this);
      for (const waiter of [...this.#waiters]) waiter();
    }
  }

  /** Cancels timers and watches; the process itself is left to `stop`. */
  dispose(): void {
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
        bus.emit({
          type: 'replica:crashed',
          ...who,
          message: `${this.name} crashed (${how}) after ${effect.ranMs} ms; restarting in ${effect.restartInMs} ms`,
          data: {
            code: exit?.code ?? null,
            signal: exit?.signal ?? null,
            cause:
              exit?.signal === 'SIGKILL' ? 'killed (SIGKILL: out of memory or killed from outside)' : null,
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
          message: `${this.name} could not start: ${effect.error}; retrying in ${effect.restartInMs} ms`,
          data: { error: effect.error, restartInMs: effect.restartInMs },
        });
        return;
      case 'emit-stopped': {
        const exit = this.#state.lastExit;
        this.#pid = null;
        this.#procStart = null;
        bus.emit({
          type: 'replica:stopped',
          ...who,
          message: `${this.name} stopped`,
          data: {
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
    this.#launch = launch;
    this.#deps.driver.spawn({ argv: launch.argv, cwd: launch.cwd, env: launch.env }).then(
      (handle) => {
        this.#handle = handle;
        this.#pid = handle.pid;
        this.#procStart = handle.procStart;
        this.#release = launch.release;
        const target = { app: this.app, process: this.process, source: this.name };
        const captured = Promise.all([
          this.#deps.output.capture(target, 'out', handle.stdout),
          this.#deps.output.capture(target, 'err', handle.stderr),
        ]).catch(this.#deps.onError);
        this.dispatch({ type: 'spawned' });
        void handle.exited.then(async (status) => {
          await Promise.race([captured, delay(OUTPUT_SETTLE_MS)]);
          if (this.#handle === handle) this.#handle = null;
          this.dispatch({ type: 'exited', code: status.code, signal: status.signal });
        });
      },
      (err: unknown) => {
        this.dispatch({ type: 'spawn-failed', error: (err as Error).message });
      },
    );
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
