import type { AppSpec, ProcessSpec, WebSpec, WorkerSpec } from '@nightshift/manifest';
import type { ExitInfo, PsEntry, ProcessSummary } from '@nightshift/protocol';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { ProcessDriver } from '../drivers/index.js';
import type { EventBus } from '../events/index.js';
import type { Clock } from '../runtime/clock.js';
import type { EnvTarget } from '../process/environment.js';
import type { OutputSink } from '../process/output.js';
import * as store from '../store/index.js';
import { desiredCount, manifestCount } from './pure/formation.js';
import type { LiveRelease } from '../releases/live.js';
import type { ReplicaLimits } from './pure/limits.js';
import type { LifecyclePolicy } from './pure/lifecycle.js';
import { type Launch, ReplicaRunner } from './replica.js';

/** A replica of a new release that could not be started at all. */
export interface ActivationFailure {
  readonly replica: string;
  readonly error: string;
}

/** What `activate` saw: empty `failures` when every replica it started on the new release exists. */
export interface Activation {
  readonly failures: readonly ActivationFailure[];
}

export interface SupervisorDeps {
  readonly db: store.Db;
  readonly bus: EventBus;
  readonly driver: ProcessDriver;
  readonly output: OutputSink;
  readonly clock: Clock;
  /** The environment of one process of the app (DESIGN §3). */
  readonly environment: (release: LiveRelease, target: EnvTarget) => Record<string, string>;
  readonly onError: (err: unknown) => void;
  /** A process never runs more than `perProcess` replicas, whatever the stored formation says. */
  readonly limits: ReplicaLimits;
}

interface AppRuntime {
  release: LiveRelease;
  runners: Map<string, ReplicaRunner[]>;
  /** Processes whose stored count is over the limit, already reported. */
  clamped: Set<string>;
}

const STOP_WAIT_SLACK_MS = 5_000;
/** How long a deploy waits for its new processes to be spawned (they only fail to be after this long if the machine is overloaded). */
const SPAWN_WAIT_MS = 30_000;
const DEFAULT_STOP_GRACE_MS = 30_000;
/** For a replica whose process left the manifest: it only ever stops, but the machine wants a policy. */
const FALLBACK_RESTART = { backoffMs: 10_000, maxBackoffMs: 300_000, resetAfterMs: 600_000 };

/**
 * Keeps every app's replicas as the formation says: desired counts from the manifest and `scale`,
 * each replica supervised by its own runner.
 */
export class Supervisor {
  #apps = new Map<string, AppRuntime>();
  #deps: SupervisorDeps;

  constructor(deps: SupervisorDeps) {
    this.#deps = deps;
  }

  hasApp(app: string): boolean {
    return this.#apps.has(app);
  }

  liveRelease(app: string): LiveRelease | null {
    return this.#apps.get(app)?.release ?? null;
  }

  /**
   * Makes `release` the one the app runs. Replicas on another release are replaced one at a time
   * (start the successor, wait until it runs, then stop the old one) so the app never goes fully down;
   * replicas waiting out a backoff restart at once on the new release.
   *
   * The answer lists the replicas of the new release that could not be started at all (E2BIG, ENOENT…):
   * the switch stops at the first such failure and keeps the old replica it was about to replace, so the
   * caller can put the previous release back without the app ever having had none.
   */
  async activate(app: string, release: LiveRelease): Promise<Activation> {
    let rt = this.#apps.get(app);
    if (!rt) {
      rt = { release, runners: new Map(), clamped: new Set() };
      this.#apps.set(app, rt);
      this.#restoreRunners(app, rt);
    }
    rt.release = release;
    const stale = this.#all(rt).filter(
      (r) => r.state.status === 'backoff' || (r.release !== null && r.release !== release.version),
    );
    this.reconcile(app);
    // A deploy is finished when its processes exist: `up` then shows them running, not `starting`.
    const spawning = this.#all(rt).filter((r) => r.state.status === 'starting');
    await Promise.all(spawning.map((r) => this.#waitSpawned(r)));
    const failed = spawning.filter((r) => r.spawnError !== null);
    if (failed.length > 0) return { failures: failed.map(failureOf) };
    for (const runner of stale) {
      if (!this.#isWanted(rt, runner)) continue;
      const s = runner.state.status;
      if (s !== 'running' && s !== 'starting' && s !== 'backoff') continue;
      // Web holds a port, so its new replica can only start once the old one is gone; a replica in backoff
      // has no process to keep.
      const failure =
        runner.process === 'web' || s === 'backoff' ? await this.#restartOne(rt, runner) : await this.#replaceOne(rt, runner);
      if (failure) return { failures: [failure] };
    }
    return { failures: [] };
  }

  /**
   * Start-before-stop: a successor for the same slot starts on the live release; once it has run
   * `min_ready`, the old replica is stopped gracefully. The app never has fewer replicas than wanted, and a
   * successor that cannot be started leaves the old replica in its slot.
   */
  async #replaceOne(rt: AppRuntime, old: ReplicaRunner): Promise<ActivationFailure | null> {
    const successor = this.#newRunner(old.app, old.process, old.idx, undefined, old.state.restarts);
    successor.start();
    await this.#waitSpawned(successor);
    if (successor.spawnError !== null) {
      const failure = failureOf(successor);
      successor.stop();
      await this.#waitStopped(rt, successor).catch(this.#deps.onError);
      successor.dispose();
      return failure;
    }
    const minReady = this.#policyOf(rt, old.process).minReadyMs;
    if (minReady > 0 && successor.state.status === 'running') await sleep(minReady);
    const runners = rt.runners.get(old.process) ?? [];
    const at = runners.indexOf(old);
    if (at === -1) {
      // Scaled away meanwhile: the successor is not wanted either.
      successor.stop();
      await this.#waitStopped(rt, successor).catch(this.#deps.onError);
      successor.dispose();
      return null;
    }
    runners[at] = successor;
    this.#persist(successor);
    old.stop();
    await this.#waitStopped(rt, old).catch(this.#deps.onError);
    old.dispose();
    return null;
  }

  #waitSpawned(runner: ReplicaRunner): Promise<void> {
    return runner.waitFor((s) => s.status !== 'starting', SPAWN_WAIT_MS).catch(this.#deps.onError);
  }

  #all(rt: AppRuntime): ReplicaRunner[] {
    return [...rt.runners.values()].flat();
  }

  /** Brings the running replicas in line with the desired formation. Synchronous: it only dispatches. */
  reconcile(app: string): void {
    const rt = this.#mustGet(app);
    const formation = new Map(store.listFormation(this.#deps.db, app).map((f) => [f.process, f]));
    const procs = processesOf(rt.release.spec);
    for (const proc of procs) {
      const want = this.#clamp(rt, proc.name, desiredCount(proc, formation.get(proc.name)));
      const runners = rt.runners.get(proc.name) ?? [];
      rt.runners.set(proc.name, runners);
      for (let idx = 1; idx <= want; idx++) {
        let runner = runners.find((r) => r.idx === idx);
        if (!runner) {
          runner = this.#newRunner(app, proc.name, idx);
          runners.push(runner);
        }
        const s = runner.state.status;
        if (s === 'pending' || s === 'stopped') runner.start();
      }
      for (const runner of runners.filter((r) => r.idx > want)) this.#retire(rt, runner);
      runners.sort((a, b) => a.idx - b.idx);
    }
    for (const [name, runners] of rt.runners) {
      if (procs.some((p) => p.name === name)) continue;
      for (const runner of runners) this.#retire(rt, runner);
    }
  }

  /**
   * A count stored before the limit existed (or above a lowered one) would spawn until the machine runs out
   * of descriptors; it is held at the limit, said once, and `scale` can bring it down.
   */
  #clamp(rt: AppRuntime, process: string, want: number): number {
    const limit = this.#deps.limits.perProcess;
    if (want <= limit) {
      rt.clamped.delete(process);
      return want;
    }
    if (!rt.clamped.has(process)) {
      rt.clamped.add(process);
      const app = rt.release.spec.name;
      this.#deps.bus.emit({
        type: 'process:limited',
        app,
        process,
        message: `${process} wants ${want} replicas; running ${limit}, this daemon's limit per process (scale it down, or raise NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS)`,
        data: { wanted: want, limit },
      });
    }
    return limit;
  }

  /** Rolling restart: one replica at a time, each back to running before the next goes down. */
  async restart(app: string, process?: string): Promise<void> {
    const rt = this.#mustGet(app);
    if (process !== undefined) this.processSpec(app, process);
    const targets = [...rt.runners.entries()]
      .filter(([name]) => process === undefined || name === process)
      .flatMap(([, runners]) => runners)
      .filter((r) => this.#isWanted(rt, r));
    for (const runner of targets) await this.#restartOne(rt, runner);
  }

  /** Stops every replica of the app and forgets it (its rows go with the app's). */
  async remove(app: string): Promise<void> {
    const rt = this.#apps.get(app);
    if (!rt) return;
    const all = this.#all(rt);
    for (const runner of all) runner.stop();
    await Promise.allSettled(all.map((r) => this.#waitStopped(rt, r)));
    for (const runner of all) runner.dispose();
    this.#apps.delete(app);
  }

  /** Stops everything (daemon shutdown): SIGTERM to every group at once, SIGKILL after each grace. */
  async shutdown(): Promise<void> {
    const all = [...this.#apps.values()].flatMap((rt) => [...rt.runners.values()].flat().map((r) => ({ rt, r })));
    for (const { r } of all) r.stop();
    await Promise.allSettled(all.map(({ rt, r }) => this.#waitStopped(rt, r)));
    for (const { r } of all) r.dispose();
  }

  processSpec(app: string, process: string): ProcessSpec {
    const rt = this.#mustGet(app);
    const proc = processesOf(rt.release.spec).find((p) => p.name === process);
    if (!proc) {
      const known = processesOf(rt.release.spec).map((p) => p.name);
      throw new NightshiftError(
        ErrorCodes.processNotFound,
        `app "${app}" has no process "${process}"`,
        known.length ? `its processes are: ${known.join(', ')}` : 'its manifest declares no web or workers',
      );
    }
    return proc;
  }

  /** Desired vs manifest counts of every process of an app. */
  summary(app: string): ProcessSummary[] {
    const rt = this.#mustGet(app);
    const formation = new Map(store.listFormation(this.#deps.db, app).map((f) => [f.process, f]));
    return processesOf(rt.release.spec).map((proc) => ({
      process: proc.name,
      desired: desiredCount(proc, formation.get(proc.name)),
      manifest: manifestCount(proc),
      stopped: formation.get(proc.name)?.stopped ?? false,
    }));
  }

  /** Replicas wanted across every app, except `app`'s own (for the daemon-wide limit). */
  desiredElsewhere(app: string): number {
    let total = 0;
    for (const other of this.#apps.keys()) {
      if (other === app) continue;
      for (const p of this.summary(other)) total += p.desired;
    }
    return total;
  }

  ps(app?: string): PsEntry[] {
    const out: PsEntry[] = [];
    const apps = app === undefined ? [...this.#apps.keys()].sort() : [app];
    for (const name of apps) {
      const rt = this.#apps.get(name);
      if (!rt) continue;
      // Code-unit order (names are ASCII): localeCompare would map ICU's collation data into the daemon.
      for (const [, runners] of [...rt.runners.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        for (const r of runners) out.push(this.#psEntry(name, r));
      }
    }
    return out;
  }

  #psEntry(app: string, r: ReplicaRunner): PsEntry {
    const s = r.state;
    const lastExit: ExitInfo | null = s.lastExit
      ? { code: s.lastExit.code, signal: s.lastExit.signal, at: new Date(s.lastExit.at).toISOString() }
      : null;
    return {
      app,
      process: r.process,
      replica: r.name,
      state: s.status,
      // A replica in backoff keeps its last pid for reaping; shown, it would name a process that is gone.
      pid: s.status === 'running' || s.status === 'starting' || s.status === 'stopping' ? r.pid : null,
      startedAt: s.startedAt === null ? null : new Date(s.startedAt).toISOString(),
      restarts: s.restarts,
      lastExit,
      release: r.release === null ? null : `v${r.release}`,
    };
  }

  #isWanted(rt: AppRuntime, runner: ReplicaRunner): boolean {
    return (rt.runners.get(runner.process) ?? []).includes(runner) && runner.state.status !== 'stopped';
  }

  async #restartOne(rt: AppRuntime, runner: ReplicaRunner): Promise<ActivationFailure | null> {
    runner.stop();
    await this.#waitStopped(rt, runner);
    if (!(rt.runners.get(runner.process) ?? []).includes(runner)) return null;
    runner.start();
    const minReady = this.#policyOf(rt, runner.process).minReadyMs;
    await this.#waitSpawned(runner);
    if (runner.spawnError !== null) return failureOf(runner);
    if (minReady > 0 && runner.state.status === 'running') await sleep(Math.min(minReady, 2_000));
    return null;
  }

  #retire(rt: AppRuntime, runner: ReplicaRunner): void {
    runner.stop();
    void this.#waitStopped(rt, runner).then(() => {
      const runners = rt.runners.get(runner.process) ?? [];
      // Still retired? (a scale back up in the meantime keeps the runner.)
      const wanted = Math.min(desiredFor(this.#deps.db, rt, runner.process), this.#deps.limits.perProcess);
      if (runner.idx <= wanted) return;
      runner.dispose();
      rt.runners.set(
        runner.process,
        runners.filter((r) => r !== runner),
      );
      store.deleteReplica(this.#deps.db, runner.app, runner.process, runner.idx);
    }, this.#deps.onError);
  }

  #waitStopped(rt: AppRuntime, runner: ReplicaRunner): Promise<void> {
    const grace = this.#policyOf(rt, runner.process).stopGraceMs;
    return runner.waitFor(
      (s) => s.status === 'stopped' || s.status === 'pending',
      grace + STOP_WAIT_SLACK_MS,
    );
  }

  #policyOf(rt: AppRuntime, process: string): Pick<ProcessSpec, 'stopGraceMs' | 'minReadyMs'> {
    const proc = processesOf(rt.release.spec).find((p) => p.name === process);
    // A process removed from the manifest still stops within the default grace.
    return proc ?? { stopGraceMs: DEFAULT_STOP_GRACE_MS, minReadyMs: 0 };
  }

  #newRunner(app: string, process: string, idx: number, restored?: store.ReplicaRow, restarts?: number): ReplicaRunner {
    const rt = this.#mustGet(app);
    const deps = this.#deps;
    const resolveLaunch = (): Launch => {
      const release = rt.release;
      const proc = processesOf(release.spec).find((p) => p.name === process);
      if (!proc) throw new Error(`process "${process}" is not in release v${release.version}`);
      const replica = `${process}.${idx}`;
      const target: EnvTarget =
        proc.kind === 'web'
          ? { kind: 'web', replica, port: proc.port }
          : { kind: 'worker', process, replica };
      return {
        argv: proc.command.argv,
        cwd: release.path,
        env: deps.environment(release, target),
        release: release.version,
        policy: { restart: proc.restart, stopGraceMs: proc.stopGraceMs },
      };
    };
    const restoredState = restored
      ? {
          restarts: restored.restarts,
          // A restored slot has no process (the previous daemon's were reaped): it starts on the live
          // release. Keeping the row's release would make a slot caught mid-switch look stale to `activate`,
          // which would then roll it again (waiting out min_ready) before the daemon serves its API.
          release: null,
          lastExit:
            restored.lastExitAt === null
              ? null
              : { code: restored.lastExitCode, signal: restored.lastExitSignal, at: restored.lastExitAt },
        }
      : restarts === undefined
        ? undefined
        : { restarts, release: null, lastExit: null };
    const resolvePolicy = (): LifecyclePolicy => {
      const proc = processesOf(rt.release.spec).find((p) => p.name === process);
      return proc
        ? { restart: proc.restart, stopGraceMs: proc.stopGraceMs }
        : { restart: FALLBACK_RESTART, stopGraceMs: DEFAULT_STOP_GRACE_MS };
    };
    return new ReplicaRunner({ app, process, idx }, resolveLaunch, resolvePolicy, {
      driver: deps.driver,
      bus: deps.bus,
      clock: deps.clock,
      output: deps.output,
      onError: deps.onError,
      persist: (r) => this.#persist(r),
    }, restoredState);
  }

  #restoreRunners(app: string, rt: AppRuntime): void {
    for (const row of store.listReplicas(this.#deps.db, app)) {
      const runners = rt.runners.get(row.process) ?? [];
      runners.push(this.#newRunner(app, row.process, row.idx, row));
      rt.runners.set(row.process, runners);
    }
  }

  #persist(r: ReplicaRunner): void {
    // Only the slot's current runner owns the row: during a rolling switch the old and the new replica of
    // one slot both live for a moment, and the row must keep pointing at the one that stays. The other one's
    // group is recorded apart, so that a daemon killed in that moment leaves no orphan (reap.ts).
    const rt = this.#apps.get(r.app);
    if (!rt || !(rt.runners.get(r.process) ?? []).includes(r)) {
      if (r.pid !== null && r.procStart !== null) {
        store.setOverlapGroup(this.#deps.db, { app: r.app, process: r.process, idx: r.idx, pid: r.pid, procStart: r.procStart });
      } else {
        store.clearOverlapGroup(this.#deps.db, r.app, r.process, r.idx);
      }
      return;
    }
    const s = r.state;
    store.upsertReplica(this.#deps.db, {
      app: r.app,
      process: r.process,
      idx: r.idx,
      pid: r.pid,
      procStart: r.procStart,
      startedAt: s.startedAt,
      restarts: s.restarts,
      lastExitCode: s.lastExit?.code ?? null,
      lastExitSignal: s.lastExit?.signal ?? null,
      lastExitAt: s.lastExit?.at ?? null,
      release: r.release,
    });
  }

  #mustGet(app: string): AppRuntime {
    const rt = this.#apps.get(app);
    if (!rt) {
      throw new NightshiftError(ErrorCodes.appNotFound, `no app "${app}" runs on this daemon`, 'deploy it first with `nightshift up`, or list apps with `nightshift apps`');
    }
    return rt;
  }
}

function processesOf(spec: AppSpec): (WebSpec | WorkerSpec)[] {
  return [...(spec.web ? [spec.web] : []), ...spec.workers];
}

function desiredFor(db: store.Db, rt: AppRuntime, process: string): number {
  const proc = processesOf(rt.release.spec).find((p) => p.name === process);
  if (!proc) return 0;
  return desiredCount(proc, store.listFormation(db, rt.release.spec.name).find((f) => f.process === process));
}

function failureOf(r: ReplicaRunner): ActivationFailure {
  return { replica: r.name, error: r.spawnError ?? 'did not start' };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
