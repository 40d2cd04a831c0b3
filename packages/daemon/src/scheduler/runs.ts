import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CronSpec } from '@nightshift/manifest';
import type { CgroupManager } from '../cgroups/index.js';
import type { ProcessDriver } from '../drivers/index.js';
import type { EventBus } from '../events/index.js';
import type { Clock } from '../runtime/clock.js';
import type { EnvTarget } from '../process/environment.js';
import type { OutputSink } from '../process/output.js';
import * as cron from '../store/cron.js';
import type { Db } from '../store/db.js';
import type { LiveRelease } from '../releases/live.js';
import { claimQueued } from './claim.js';
import { RunExecution, type RunEnd } from './execution.js';

/** What the runs need from the daemon (built in main.ts). */
export interface RunsDeps {
  readonly db: Db;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly driver: ProcessDriver;
  readonly output: OutputSink;
  readonly liveRelease: (app: string) => LiveRelease | null;
  /** The environment of one process of the app (DESIGN §3), here for the `cron` target. */
  readonly environment: (release: LiveRelease, target: EnvTarget) => Record<string, string>;
  /** `<home>/apps/<app>/runs`: where run logs go. */
  readonly runsDir: (app: string) => string;
  readonly killGraceMs: number;
  readonly onError: (err: unknown) => void;
  /** Each run's cgroup (its `resources` as kernel limits); absent: runs are not limited. */
  readonly cgroups?: CgroupManager;
}

/** Retention runs at most this often per job: deleting is kept off the path of every single fire. */
const PRUNE_EVERY_MS = 10_000;
const PRUNE_BATCH = 200;
const DAY_MS = 86_400_000;

interface Active {
  readonly execution: RunExecution;
  readonly release: number;
  readonly done: Promise<void>;
}

/**
 * The runs this daemon executes: starts a claimed run from the live release, records how it ends, starts the
 * queued run behind it, and applies the job's retention. States: open → closed (`shutdown`: every run gets
 * SIGTERM and ends `interrupted`, queued runs end `cancelled`, nothing new starts).
 */
export class CronRuns {
  #deps: RunsDeps;
  #active = new Map<number, Active>();
  #waiters = new Map<number, Set<() => void>>();
  #prunedAt = new Map<string, number>();
  #closed = false;

  constructor(deps: RunsDeps) {
    this.#deps = deps;
  }

  /** Runs of a job executing in this daemon. */
  running(app: string, job: string): number {
    let n = 0;
    for (const a of this.#active.values())
      if (a.execution.launch.app === app && a.execution.launch.job === job) n++;
    return n;
  }

  /** True while a run executes from this release's folder (release pruning keeps it). */
  inUse(app: string, version: number): boolean {
    for (const a of this.#active.values())
      if (a.execution.launch.app === app && a.release === version) return true;
    return false;
  }

  /** Starts a run whose row is `running` (just claimed or promoted). */
  launch(runId: number): void {
    const { db, bus, clock } = this.#deps;
    const row = cron.getRun(db, runId);
    if (!row || row.status !== 'running') return;
    const release = this.#deps.liveRelease(row.app);
    const spec = release?.spec.cron.find((j) => j.name === row.job);
    if (this.#closed || !release || !spec) {
      const reason = this.#closed
        ? 'the daemon is stopping'
        : `no live release of ${row.app} declares the job`;
      this.#record(row, {
        status: this.#closed ? 'interrupted' : 'failed',
        reason,
        exitCode: null,
        signal: null,
        startedAt: null,
        finishedAt: clock.now(),
      });
      return;
    }
    const dir = this.#deps.runsDir(row.app);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const logPath = join(dir, `${row.id}.log`);
    const target: EnvTarget = {
      kind: 'cron',
      job: row.job,
      runId: String(row.id),
      trigger: row.trigger,
      scheduledAt: row.slot === null ? null : new Date(row.slot).toISOString(),
    };
    const execution = new RunExecution(
      {
        id: row.id,
        app: row.app,
        job: row.job,
        argv: spec.command.argv,
        cwd: release.path,
        env: this.#deps.environment(release, target),
        logPath,
        timeoutMs: spec.timeoutMs,
        limits: { memoryBytes: spec.resources.memory, cpu: spec.resources.cpu },
      },
      this.#deps,
    );
    const ended = execution.start((handle, at) => {
      cron.markRunSpawned(db, row.id, {
        pid: handle.pid,
        procStart: handle.procStart,
        release: release.version,
        startedAt: at,
        logPath,
      });
      bus.emit({
        type: 'cron:run:started',
        app: row.app,
        message: `cron ${row.job} run ${row.id} started (${row.trigger}, pid ${handle.pid}, v${release.version})`,
        data: {
          job: row.job,
          runId: row.id,
          trigger: row.trigger,
          slot: target.kind === 'cron' ? target.scheduledAt : null,
          pid: handle.pid,
          release: `v${release.version}`,
          lateMs: row.slot === null ? null : at - row.slot,
        },
      });
    });
    const done = ended.then(
      (end) => this.#ended(row, spec, end),
      (err: unknown) => {
        this.#deps.onError(err);
        this.#ended(row, spec, {
          status: 'failed',
          reason: `internal error: ${(err as Error).message}`,
          exitCode: null,
          signal: null,
          startedAt: null,
          finishedAt: clock.now(),
        });
      },
    );
    this.#active.set(row.id, { execution, release: release.version, done });
  }

  /** Stops runs so that they end `cancelled` (replace policy, app destroyed). */
  cancel(ids: readonly number[], reason: string): void {
    for (const id of ids) this.#active.get(id)?.execution.stop({ status: 'cancelled', reason });
  }

  /**
   * `cron cancel NAME`: the job's waiting run ends `cancelled` first (else the running run's end would start
   * it), then each running run is stopped like a daemon stop (SIGTERM to its group, SIGKILL after the grace)
   * and ends `cancelled`. Resolves with the ids once every one has ended.
   */
  async cancelJob(app: string, job: string, reason: string): Promise<number[]> {
    const rows = cron.activeRuns(this.#deps.db, app, job);
    for (const row of rows.filter((r) => r.status === 'queued')) {
      this.#record(row, {
        status: 'cancelled',
        reason,
        exitCode: null,
        signal: null,
        startedAt: null,
        finishedAt: this.#deps.clock.now(),
      });
    }
    const running = rows.filter((r) => r.status === 'running').map((r) => r.id);
    const done = running.flatMap((id) => this.#active.get(id)?.done ?? []);
    this.cancel(running, reason);
    await Promise.allSettled(done);
    return rows.map((r) => r.id);
  }

  /** Resolves when the run has a final status (at once if it has one already or is unknown). */
  waitFor(runId: number): Promise<void> {
    const row = cron.getRun(this.#deps.db, runId);
    if (!row || (row.status !== 'running' && row.status !== 'queued')) return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.#waiters.get(runId) ?? new Set();
      set.add(resolve);
      this.#waiters.set(runId, set);
    });
  }

  /** Deletes a job's runs beyond its `history` (count and age) and their logs; at most every 10 s unless forced. */
  prune(app: string, job: string, history: CronSpec['history'], force = false): void {
    const now = this.#deps.clock.now();
    const key = `${app}\0${job}`;
    const last = this.#prunedAt.get(key);
    if (!force && last !== undefined && now - last < PRUNE_EVERY_MS) return;
    this.#prunedAt.set(key, now);
    const gone = cron.pruneRuns(
      this.#deps.db,
      app,
      job,
      Math.max(1, history.keep),
      now - history.days * DAY_MS,
      PRUNE_BATCH,
    );
    for (const r of gone) if (r.logPath) rm(r.logPath, { force: true }).catch(this.#deps.onError);
  }

  /** Ends every run of an app (`cancelled`) and waits for them. */
  async removeApp(app: string): Promise<void> {
    const mine = [...this.#active.values()].filter((a) => a.execution.launch.app === app);
    for (const a of mine) a.execution.stop({ status: 'cancelled', reason: 'the app was destroyed' });
    await Promise.allSettled(mine.map((a) => a.done));
  }

  /** Daemon stop: SIGTERM to every run (SIGKILL after the grace), all end `interrupted`; queued ones `cancelled`. */
  async shutdown(): Promise<void> {
    this.#closed = true;
    const all = [...this.#active.values()];
    for (const a of all)
      a.execution.stop({ status: 'interrupted', reason: 'the daemon stopped while it ran' });
    await Promise.allSettled(all.map((a) => a.done));
    for (const row of cron.listActiveRuns(this.#deps.db)) {
      if (row.status === 'queued') {
        this.#record(row, {
          status: 'cancelled',
          reason: 'the daemon stopped before it started',
          exitCode: null,
          signal: null,
          startedAt: null,
          finishedAt: this.#deps.clock.now(),
        });
      }
    }
  }

  #ended(row: cron.CronRunRow, spec: CronSpec, end: RunEnd): void {
    this.#active.delete(row.id);
    this.#record(row, end, spec);
    if (!this.#closed) {
      try {
        const next = claimQueued(this.#deps.db, row.app, row.job);
        if (next) this.launch(next.id);
      } catch (err) {
        this.#deps.onError(err);
      }
    }
    this.prune(row.app, row.job, spec.history);
  }

  /** Stores a run's end (first ending wins), emits its events, wakes waiters. */
  #record(row: cron.CronRunRow, end: RunEnd, spec?: CronSpec): void {
    const { db, bus } = this.#deps;
    const stored = cron.finishRun(db, row.id, end);
    const started = end.startedAt ?? cron.getRun(db, row.id)?.startedAt ?? null;
    const durationMs = started === null ? null : end.finishedAt - started;
    if (stored) {
      const who = { app: row.app };
      const ids = { job: row.job, runId: row.id };
      if (end.status === 'timed_out') {
        bus.emit({
          type: 'cron:run:timed-out',
          ...who,
          message: `cron ${row.job} run ${row.id} timed out after ${spec?.timeoutMs} ms; its process group was stopped`,
          data: { ...ids, timeoutMs: spec?.timeoutMs ?? 0 },
        });
      } else if (end.status === 'cancelled') {
        bus.emit({
          type: 'cron:run:cancelled',
          ...who,
          message: `cron ${row.job} run ${row.id} cancelled: ${end.reason}`,
          data: { ...ids, reason: end.reason ?? '' },
        });
      } else if (end.status === 'interrupted') {
        bus.emit({
          type: 'cron:run:interrupted',
          ...who,
          message: `cron ${row.job} run ${row.id} interrupted: ${end.reason}`,
          data: { ...ids, reason: end.reason ?? '' },
        });
      }
      const how = end.signal
        ? `signal ${end.signal}`
        : end.exitCode === null
          ? 'no exit code'
          : `exit code ${end.exitCode}`;
      bus.emit({
        type: 'cron:run:finished',
        ...who,
        message: `cron ${row.job} run ${row.id} ${end.status} (${how}${durationMs === null ? '' : `, ${durationMs} ms`})${end.reason && end.status === 'failed' ? `: ${end.reason}` : ''}`,
        data: {
          ...ids,
          trigger: row.trigger,
          status: end.status,
          reason: end.reason,
          exitCode: end.exitCode,
          signal: end.signal,
          durationMs,
        },
      });
    }
    const waiters = this.#waiters.get(row.id);
    this.#waiters.delete(row.id);
    for (const w of waiters ?? []) w();
  }
}
