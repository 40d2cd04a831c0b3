import type { CronJobEntry, CronRunEntry } from '@nightshift/protocol';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import * as cron from '../store/cron.js';
import type { LiveRelease } from '../releases/live.js';
import { claimManual, claimSlots, type SlotClaim } from './claim.js';
import { toJobEntry, toRunEntry } from './entries.js';
import { jobNotFound, notRunning, overlapRefused, runNotFound } from './errors.js';
import { syncJobs, type JobState } from './jobs.js';
import { clockBehind, dueSlot, nextSlot, nextSlots, wakeAt, type DueSlot } from './pure/slots.js';
import { CronRuns, type RunsDeps } from './runs.js';
import { parseSchedulerOptions, type SchedulerConfig, type SchedulerOptions } from './options.js';
import { reportClaim, reportClockBehind, reportRefused, reportSuspended } from './report.js';

/** Due slots claimed in one transaction; the spawns of a batch start once it commits. */
const CLAIM_BATCH = 32;

/** The scheduler's dependencies: the runs' (database, bus, clock, driver, log sink, live release, environment). */
export type SchedulerDeps = Omit<RunsDeps, 'killGraceMs'>;

/**
 * Fires cron jobs from the durable cursor (DESIGN §5). The loop sleeps until the next slot of any job (at most
 * `tickMaxMs`), then, per job, fires only the newest due slot through one claim transaction; croner computes
 * slots, its timer never runs. States: created → running (`start`) → stopped (`shutdown`).
 */
export class Scheduler {
  #deps: SchedulerDeps;
  #config: SchedulerConfig;
  #runs: CronRuns;
  #apps = new Map<string, Map<string, JobState>>();
  #timer: NodeJS.Timeout | null = null;
  #state: 'created' | 'running' | 'stopped' = 'created';
  #ticking = false;

  constructor(deps: SchedulerDeps, options?: SchedulerOptions) {
    this.#deps = deps;
    this.#config = parseSchedulerOptions(options);
    this.#runs = new CronRuns({ ...deps, killGraceMs: this.#config.killGraceMs });
  }

  /** Learns an app's live release (at start and after every deploy or rollback) and syncs its jobs. */
  activate(app: string, release: LiveRelease): void {
    if (this.#state === 'stopped') return;
    const states = syncJobs(
      this.#deps.db,
      this.#deps.bus,
      release.spec,
      this.#deps.clock.now(),
      this.#config.granularity,
    );
    this.#apps.set(app, states);
    for (const s of states.values()) this.#runs.prune(app, s.spec.name, s.spec.history, true);
    this.#reschedule();
  }

  /** Starts the loop. */
  start(): void {
    if (this.#state !== 'created') return;
    this.#state = 'running';
    this.#reschedule();
  }

  /**
   * One pass over every job at the clock's now; the loop calls it, tests may too. Due slots are claimed
   * `CLAIM_BATCH` to a transaction and each batch's runs spawn as soon as it commits; between batches the event
   * loop runs, so a minute with a thousand due jobs records each start as it happens and the API still answers.
   */
  async tick(): Promise<void> {
    const now = this.#deps.clock.now();
    const due: { job: JobState; due: DueSlot }[] = [];
    for (const jobs of this.#apps.values()) {
      for (const job of jobs.values()) {
        try {
          const slot = this.#dueOf(job, now);
          if (slot) due.push({ job, due: slot });
        } catch (err) {
          this.#deps.onError(err);
        }
      }
    }
    for (let i = 0; i < due.length; i += CLAIM_BATCH) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#state === 'stopped') return;
      this.#fire(due.slice(i, i + CLAIM_BATCH), now);
    }
  }

  /** `nightshift cron run NAME`: a manual run now, by the overlap rule unless forced; the cursor never moves. */
  runNow(app: string, name: string, force: boolean): CronRunEntry {
    const job = this.#job(app, name);
    if (!this.#deps.liveRelease(app)) {
      throw new NightshiftError(
        ErrorCodes.noRelease,
        `app "${app}" has no live release to run in`,
        'deploy it first with `nightshift up`',
      );
    }
    const claim = claimManual(
      this.#deps.db,
      { app, name, overlap: job.spec.overlap },
      force,
      this.#deps.clock.now(),
    );
    if (claim.kind === 'refuse') {
      reportRefused(this.#deps.bus, app, name, claim.reason, claim.active);
      throw overlapRefused(app, name, claim.reason, claim.active);
    }
    if (claim.kind === 'replace') this.#runs.cancel(claim.cancel, `replaced by run ${claim.runId}`);
    if (claim.kind === 'start') this.#runs.launch(claim.runId);
    return toRunEntry(cron.getRun(this.#deps.db, claim.runId)!);
  }

  /**
   * `nightshift cron cancel NAME`: stops the job's running runs and drops its waiting one, all `cancelled`;
   * answers with those runs once they have ended. NS_CRON_NOT_RUNNING when there is none.
   */
  async cancel(app: string, name: string): Promise<CronRunEntry[]> {
    this.#job(app, name);
    const ids = await this.#runs.cancelJob(app, name, 'cancelled by `nightshift cron cancel`');
    if (ids.length === 0) throw notRunning(app, name);
    return ids.map((id) => toRunEntry(cron.getRun(this.#deps.db, id)!));
  }

  /** `cron suspend --all` / `cron resume --all` (an incident): every job of the live release, in name order. */
  setAllSuspended(app: string, suspended: boolean): CronJobEntry[] {
    const names = [...(this.#apps.get(app)?.keys() ?? [])].sort();
    for (const name of names) {
      const job = this.#job(app, name);
      // Already as asked: no event, so the timeline shows what the incident changed.
      if (job.suspended !== suspended) this.#setSuspended(app, name, suspended);
    }
    return this.list(app);
  }

  suspend(app: string, name: string): CronJobEntry {
    return this.#setSuspended(app, name, true);
  }

  resume(app: string, name: string): CronJobEntry {
    return this.#setSuspended(app, name, false);
  }

  /** The live release's jobs with their next slot and last run. */
  list(app: string): CronJobEntry[] {
    const jobs = this.#apps.get(app);
    if (!jobs) return [];
    const last = cron.lastRuns(this.#deps.db, app);
    const now = this.#deps.clock.now();
    return [...jobs.values()].map((j) =>
      toJobEntry(
        j.spec,
        {
          suspended: j.suspended,
          // Five: what a reader checks a schedule against (the dashboard's job page).
          nextSlots: nextSlots(j.schedule, j.cursor, now, 5),
          running: this.#runs.running(app, j.spec.name),
        },
        last.get(j.spec.name) ?? null,
      ),
    );
  }

  /** Newest first. Works for jobs no longer in the manifest too, as long as their runs are kept. */
  history(app: string, name: string, limit: number): CronRunEntry[] {
    const rows = cron.listRuns(this.#deps.db, app, name, limit);
    if (rows.length === 0 && !this.#apps.get(app)?.has(name) && !cron.getCronJob(this.#deps.db, app, name)) {
      throw jobNotFound(app, name, [...(this.#apps.get(app)?.keys() ?? [])]);
    }
    return rows.map(toRunEntry);
  }

  /** A run of the app, with its log file; throws NS_CRON_RUN_NOT_FOUND. */
  run(app: string, id: string): cron.CronRunRow {
    const n = /^\d{1,15}$/.test(id) ? Number(id) : NaN;
    const row = Number.isNaN(n) ? null : cron.getRun(this.#deps.db, n);
    if (!row || row.app !== app) throw runNotFound(app, id);
    return row;
  }

  /** Resolves when the run has a final status. */
  waitForRun(id: number): Promise<void> {
    return this.#runs.waitFor(id);
  }

  /** True while a run executes from that release's folder. */
  releaseInUse(app: string, version: number): boolean {
    return this.#runs.inUse(app, version);
  }

  /** Forgets an app (destroy): its runs end `cancelled`; its rows go with the app's. */
  async removeApp(app: string): Promise<void> {
    this.#apps.delete(app);
    await this.#runs.removeApp(app);
  }

  /** Stops the loop, ends every run (`interrupted`) and waits for them. */
  async shutdown(): Promise<void> {
    this.#state = 'stopped';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#runs.shutdown();
  }

  /** The slot a job should fire now, if any; a job not due yet only has its clock checked. */
  #dueOf(job: JobState, now: number): DueSlot | null {
    if (job.wake === null) return null;
    if (now < job.wake) {
      this.#checkClock(job, now);
      return null;
    }
    const due = dueSlot(job.schedule, job.cursor, now);
    if (!due) job.wake = wakeAt(job.schedule, job.cursor);
    return due;
  }

  #fire(batch: readonly { job: JobState; due: DueSlot }[], now: number): void {
    // A job replaced by a deploy during the pass (activate) still claims by its cursor: the database's
    // compare-and-set decides, so a slot is fired once whichever state object asks.
    const requests = batch.map(({ job, due }) => ({
      job: { app: job.app, name: job.spec.name, cursor: job.cursor, overlap: job.spec.overlap },
      due,
    }));
    let claims: (SlotClaim | Error)[];
    try {
      claims = claimSlots(this.#deps.db, requests, now);
    } catch (err) {
      this.#deps.onError(err);
      return;
    }
    for (const [i, claim] of claims.entries()) {
      const { job, due } = batch[i]!;
      try {
        if (claim instanceof Error) throw claim;
        if (claim.kind === 'lost') {
          this.#reload(job);
          continue;
        }
        job.cursor = due.slot;
        job.wake = wakeAt(job.schedule, due.slot);
        job.behindReported = false;
        this.#act(job, due, claim);
      } catch (err) {
        this.#deps.onError(err);
      }
    }
  }

  #act(job: JobState, due: DueSlot, claim: Exclude<SlotClaim, { kind: 'lost' }>): void {
    reportClaim(this.#deps.bus, job, due, claim);
    if (claim.kind === 'skip') this.#runs.prune(job.app, job.spec.name, job.spec.history);
    if (claim.kind === 'replace') this.#runs.cancel(claim.cancel, `replaced by run ${claim.runId}`);
    if (claim.kind === 'start') this.#runs.launch(claim.runId);
  }

  /** After a lost claim: another instance moved the cursor; take its value (or drop a job it disabled). */
  #reload(job: JobState): void {
    const row = cron.getCronJob(this.#deps.db, job.app, job.spec.name);
    if (!row || !row.enabled) {
      this.#apps.get(job.app)?.delete(job.spec.name);
      return;
    }
    job.cursor = row.cursor;
    job.suspended = row.suspended;
    job.wake = wakeAt(job.schedule, row.cursor);
  }

  #checkClock(job: JobState, now: number): void {
    const behind = clockBehind(job.cursor, now);
    if (behind === 0 || job.behindReported) return;
    job.behindReported = true;
    reportClockBehind(this.#deps.bus, job, behind);
  }

  #setSuspended(app: string, name: string, suspended: boolean): CronJobEntry {
    const job = this.#job(app, name);
    const now = this.#deps.clock.now();
    cron.setCronSuspended(this.#deps.db, app, name, suspended, now);
    this.#reload(job);
    reportSuspended(this.#deps.bus, app, name, suspended, nextSlot(job.schedule, job.cursor, now));
    this.#reschedule();
    return this.list(app).find((j) => j.name === name)!;
  }

  #job(app: string, name: string): JobState {
    const jobs = this.#apps.get(app);
    const job = jobs?.get(name);
    if (!job) throw jobNotFound(app, name, [...(jobs?.keys() ?? [])]);
    return job;
  }

  /** Sleeps until the earliest wake-up of any job, at most `tickMaxMs`; each wake re-reads the clock. */
  #reschedule(): void {
    // A pass in progress reschedules when it ends, after the wake-ups it moved.
    if (this.#state !== 'running' || this.#ticking) return;
    if (this.#timer) clearTimeout(this.#timer);
    const now = this.#deps.clock.now();
    let wake = now + this.#config.tickMaxMs;
    for (const jobs of this.#apps.values())
      for (const j of jobs.values()) if (j.wake !== null && j.wake < wake) wake = j.wake;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#ticking = true;
        void this.tick()
          .catch((err: unknown) => this.#deps.onError(err))
          .finally(() => {
            this.#ticking = false;
            this.#reschedule();
          });
      },
      Math.max(0, wake - now),
    );
  }
}
