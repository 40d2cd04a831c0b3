import type { ProcessSpec, WebSpec, WorkerSpec } from '@nightshift/manifest';
import type { ProcessSummary } from '@nightshift/protocol';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { Cgroup, CgroupManager } from '../cgroups/index.js';
import type { ProcessDriver } from '../drivers/index.js';
import type { EventBus } from '../events/index.js';
import type { EnvTarget } from '../process/environment.js';
import type { OutputSink } from '../process/output.js';
import type { LiveRelease } from '../releases/live.js';
import type { Clock } from '../runtime/clock.js';
import * as store from '../store/index.js';
import { type AppRuntime, allRunners, isWanted, waitSpawned, waitStopped } from './app-runtime.js';
import { newRunner, type RunnerOrigin } from './new-runner.js';
import { persistReplica } from './persist.js';
import { clampToLimit } from './clamp.js';
import { processesOf } from './processes.js';
import { psOf, type ReplicaLine } from './ps.js';
import { type ReplicaTarget, targetsOf } from './targets.js';
import { desiredOf, processSpecOf, summaryOf } from './summary.js';
import { desiredCount } from './pure/formation.js';
import type { ReplicaLimits } from './pure/limits.js';
import type { ProbeOptions, ReplicaRunner } from './replica.js';
import { type ActivationFailure, failureOf, replaceOne, restartOne, type RolloutContext } from './rollout.js';

export type { ActivationFailure } from './rollout.js';

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
  /** Each replica's cgroup (limits and accounting); absent in simulations. */
  readonly cgroups?: CgroupManager;
  readonly probes?: ProbeOptions;
}

/**
 * Keeps every app's replicas as the formation says: desired counts from the manifest and `scale`,
 * each replica supervised by its own runner. It does not order operations: callers (apps/) run each change
 * to an app in that app's turn.
 */
export class Supervisor {
  #apps = new Map<string, AppRuntime>();
  #shuttingDown = false;
  #deps: SupervisorDeps;
  #rollout: RolloutContext;

  constructor(deps: SupervisorDeps) {
    this.#deps = deps;
    this.#rollout = {
      successorOf: (old) => this.#newRunner(old.app, old.process, old.idx, { restarts: old.state.restarts }),
      persist: (r) => this.#persist(r),
      onError: deps.onError,
    };
  }

  hasApp(app: string): boolean {
    return this.#apps.has(app);
  }

  /**
   * The cgroup of replica `replica` (`emails.2`) of `app` while it runs, for reading its CPU and memory
   * accounting (`cpuSeconds()`); null when it is not running or runs without a cgroup (then read `/proc`).
   */
  cgroupOf(app: string, replica: string): Cgroup | null {
    const runners = this.#apps.get(app)?.runners.get(replica.slice(0, replica.lastIndexOf('.'))) ?? [];
    return runners.find((r) => r.name === replica)?.cgroup ?? null;
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
    // A deploy also gives replicas that gave up (`failed`) their next start.
    const stale = allRunners(rt).filter(
      (r) =>
        r.state.status === 'backoff' ||
        r.state.status === 'failed' ||
        (r.release !== null && r.release !== release.version),
    );
    this.reconcile(app);
    // A deploy is finished when its processes exist: `up` then shows them running, not `starting`.
    const spawning = allRunners(rt).filter((r) => r.state.status === 'starting');
    await Promise.all(spawning.map((r) => waitSpawned(r, this.#deps.onError)));
    const failed = spawning.filter((r) => r.spawnError !== null);
    if (failed.length > 0) return { failures: failed.map(failureOf) };
    for (const runner of stale) {
      if (!isWanted(rt, runner)) continue;
      const s = runner.state.status;
      if (s !== 'running' && s !== 'starting' && s !== 'backoff' && s !== 'failed') continue;
      // Web holds a port, so its new replica can only start once the old one is gone; a replica in backoff
      // or failed has no process to keep.
      const failure =
        runner.process === 'web' || s === 'backoff' || s === 'failed'
          ? await restartOne(this.#rollout, rt, runner)
          : await replaceOne(this.#rollout, rt, runner);
      if (failure) return { failures: [failure] };
    }
    return { failures: [] };
  }

  /** Brings the running replicas in line with the desired formation. Synchronous: it only dispatches. */
  reconcile(app: string): void {
    const rt = this.#mustGet(app);
    const formation = new Map(store.listFormation(this.#deps.db, app).map((f) => [f.process, f]));
    const procs = processesOf(rt.release.spec);
    for (const proc of procs) {
      const want = clampToLimit(
        this.#deps.bus,
        this.#deps.limits,
        rt,
        proc.name,
        desiredCount(proc, formation.get(proc.name)),
      );
      const runners = rt.runners.get(proc.name) ?? [];
      rt.runners.set(proc.name, runners);
      for (let idx = 1; idx <= want; idx++) {
        let runner = runners.find((r) => r.idx === idx);
        if (!runner) {
          runner = this.#newRunner(app, proc.name, idx, null);
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
   * Rolling restart: one replica at a time, each back to running before the next goes down. A replica that
   * cannot be spawned again stops the restart there (it stays in backoff, retrying), so the others keep
   * running instead of each going down into the same failure.
   */
  async restart(app: string, process?: string): Promise<Activation> {
    const rt = this.#mustGet(app);
    if (process !== undefined) this.processSpec(app, process);
    const targets = [...rt.runners.entries()]
      .filter(([name]) => process === undefined || name === process)
      .flatMap(([, runners]) => runners)
      .filter((r) => isWanted(rt, r));
    for (const runner of targets) {
      const failure = await restartOne(this.#rollout, rt, runner);
      if (failure) return { failures: [failure] };
    }
    return { failures: [] };
  }

  /** `nightshift start PROC`: replicas that gave up (`failed`) start again with a fresh streak. */
  revive(app: string, process: string): void {
    const runners = this.#mustGet(app).runners.get(process) ?? [];
    for (const r of runners) if (r.state.status === 'failed') r.start();
  }

  /** Stops every replica of the app and forgets it (its rows go with the app's). */
  async remove(app: string): Promise<void> {
    const rt = this.#apps.get(app);
    if (!rt) return;
    const all = allRunners(rt);
    for (const runner of all) runner.stop();
    await Promise.allSettled(all.map((r) => waitStopped(rt, r)));
    for (const runner of all) runner.dispose();
    this.#apps.delete(app);
  }

  /** Stops everything (daemon shutdown): SIGTERM to every group at once, SIGKILL after each grace. */
  async shutdown(): Promise<void> {
    this.#shuttingDown = true;
    const all = [...this.#apps.values()].flatMap((rt) => allRunners(rt).map((r) => ({ rt, r })));
    for (const { r } of all) r.stop();
    await Promise.allSettled(all.map(({ rt, r }) => waitStopped(rt, r)));
    for (const { r } of all) r.dispose();
  }

  processSpec(app: string, process: string): ProcessSpec {
    return processSpecOf(app, this.#mustGet(app), process);
  }

  /** Web and every worker of the app's live release. */
  processSpecs(app: string): readonly (WebSpec | WorkerSpec)[] {
    return processesOf(this.#mustGet(app).release.spec);
  }

  /** Desired vs manifest counts of every process of an app. */
  summary(app: string): ProcessSummary[] {
    return summaryOf(this.#deps.db, app, this.#mustGet(app));
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

  ps(app?: string): ReplicaLine[] {
    const { clock } = this.#deps;
    const now = { wall: clock.now(), mono: clock.monotonic() };
    return psOf(this.#apps, app === undefined ? [...this.#apps.keys()].sort() : [app], now);
  }

  /** Replicas that have a live process group, for the metrics sampler and scraper. */
  targets(): ReplicaTarget[] {
    return targetsOf(this.#apps);
  }

  /** The cgroup of each running replica that has one, by its group's id (the sampler's key). */
  cgroupsByPid(): Map<number, Cgroup> {
    const out = new Map<number, Cgroup>();
    for (const rt of this.#apps.values()) {
      for (const r of allRunners(rt)) if (r.pid !== null && r.cgroup) out.set(r.pid, r.cgroup);
    }
    return out;
  }

  #retire(rt: AppRuntime, runner: ReplicaRunner): void {
    runner.stop();
    void waitStopped(rt, runner).then(() => {
      const runners = rt.runners.get(runner.process) ?? [];
      // Still retired? A scale back up (or `start`) while it was stopping found it busy and left it to us.
      const wanted = Math.min(desiredOf(this.#deps.db, rt, runner.process), this.#deps.limits.perProcess);
      if (runner.idx <= wanted) {
        const current = this.#apps.get(runner.app) === rt && runners.includes(runner);
        if (current && !this.#shuttingDown && runner.state.status === 'stopped') {
          runner.start();
        }
        return;
      }
      runner.dispose();
      rt.runners.set(
        runner.process,
        runners.filter((r) => r !== runner),
      );
      store.deleteReplica(this.#deps.db, runner.app, runner.process, runner.idx);
    }, this.#deps.onError);
  }

  #newRunner(app: string, process: string, idx: number, origin: RunnerOrigin): ReplicaRunner {
    const deps = { ...this.#deps, persist: (r: ReplicaRunner) => this.#persist(r) };
    return newRunner(deps, this.#mustGet(app), app, process, idx, origin);
  }

  #restoreRunners(app: string, rt: AppRuntime): void {
    for (const row of store.listReplicas(this.#deps.db, app)) {
      const runners = rt.runners.get(row.process) ?? [];
      runners.push(this.#newRunner(app, row.process, row.idx, { restored: row }));
      rt.runners.set(row.process, runners);
    }
  }

  #persist(r: ReplicaRunner): void {
    persistReplica(this.#deps.db, this.#apps.get(r.app), r);
  }

  #mustGet(app: string): AppRuntime {
    const rt = this.#apps.get(app);
    if (!rt) {
      throw new NightshiftError(
        ErrorCodes.appNotFound,
        `no app "${app}" runs on this daemon`,
        'deploy it first with `nightshift up`, or list apps with `nightshift apps`',
      );
    }
    return rt;
  }
}
