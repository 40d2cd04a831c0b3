import type { AppSpec, ResourcesSpec } from '@nightshift/manifest';
import type { DaemonEvent, EventBus } from '../events/index.js';
import type { Clock } from '../runtime/clock.js';
import * as store from '../store/index.js';
import { processOf } from '../supervisor/processes.js';

export interface RecorderDeps {
  readonly db: store.Db;
  readonly bus: EventBus;
  readonly clock: Clock;
  /** The daemon's region (NIGHTSHIFT_REGION): the local driver runs everything in one. */
  readonly region: string;
  readonly heartbeatMs: number;
  /** Ended periods older than this are deleted, once a day (null: kept forever). */
  readonly retentionMs: number | null;
  /**
   * The app's live release, for what its processes and cron jobs request. A new release is live before its
   * replicas start (Supervisor.activate), so a start reads the release it runs.
   */
  readonly liveSpec: (app: string) => AppSpec | null;
  readonly onError: (err: unknown) => void;
}

/**
 * Records every runtime period of a replica or a cron run from the event spine (start → stop, crash, or daemon
 * stop), and a heartbeat, so that periods a `kill -9` of the daemon cut end where the daemon was last alive.
 */
export class UsageRecorder {
  #deps: RecorderDeps;
  #unsubscribe: (() => void) | null = null;
  #beat: NodeJS.Timeout | null = null;
  #prunedAt: number | null = null;

  constructor(deps: RecorderDeps) {
    this.#deps = deps;
  }

  /**
   * Ends the periods a previous daemon left open at its last heartbeat (never before a period's start), before
   * anything of this daemon runs. The processes may have lived on until they were reaped, but nobody supervised
   * them after the last beat, and a crash must never bill hours that nobody ran. Returns how many ended.
   */
  recover(): number {
    const { db } = this.#deps;
    return store.closeOpenPeriods(db, store.lastHeartbeat(db) ?? 0, 'daemon-lost');
  }

  /** Subscribes to the spine and starts the heartbeat; call before any app is restored. */
  start(): void {
    const { bus, db, clock, heartbeatMs, onError } = this.#deps;
    this.#unsubscribe = bus.subscribe((event) => this.#on(event));
    const beat = () => {
      try {
        store.writeHeartbeat(db, clock.now());
        this.#prune();
      } catch (err) {
        onError(err);
      }
    };
    beat();
    this.#beat = setInterval(beat, heartbeatMs);
    this.#beat.unref();
  }

  /**
   * Retention rides on the heartbeat, at start and then once a day: the deletion scans the table (no index
   * serves an age across apps), a few tens of milliseconds for a year of periods, too much for every beat.
   */
  #prune(): void {
    const { db, clock, retentionMs } = this.#deps;
    const now = clock.now();
    if (retentionMs === null || (this.#prunedAt !== null && now - this.#prunedAt < PRUNE_EVERY_MS)) return;
    this.#prunedAt = now;
    store.pruneUsagePeriods(db, now - retentionMs);
  }

  /** After every process stopped: whatever is still open ends now, and the spine is left. */
  stop(): void {
    if (this.#beat) clearInterval(this.#beat);
    this.#beat = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    const { db, clock } = this.#deps;
    const now = clock.now();
    store.closeOpenPeriods(db, now, 'daemon-stopped');
    store.writeHeartbeat(db, now);
  }

  #on(event: DaemonEvent): void {
    const { db, clock } = this.#deps;
    const at = clock.now();
    switch (event.type) {
      case 'replica:started': {
        const { data } = event as DaemonEvent<'replica:started'>;
        if (event.process === undefined || event.replica === undefined) return;
        this.#open('replica', event.app, event.process, event.replica, data.pid, at);
        return;
      }
      case 'replica:crashed':
      case 'replica:stopped': {
        if (event.replica === undefined) return;
        const pid = (event as DaemonEvent<'replica:crashed' | 'replica:stopped'>).data.pid ?? null;
        const reason = event.type === 'replica:crashed' ? 'crashed' : 'stopped';
        store.closePeriod(db, { app: event.app, kind: 'replica', unit: event.replica, pid }, at, reason);
        return;
      }
      case 'cron:run:started': {
        const { data } = event as DaemonEvent<'cron:run:started'>;
        this.#open('cron', event.app, data.job, runUnit(data.runId), data.pid, at);
        return;
      }
      case 'cron:run:finished': {
        const { data } = event as DaemonEvent<'cron:run:finished'>;
        const unit = { app: event.app, kind: 'cron' as const, unit: runUnit(data.runId), pid: null };
        store.closePeriod(db, unit, at, data.status);
        return;
      }
      case 'app:destroyed':
        store.closeAppPeriods(db, event.app, at, 'destroyed');
        return;
      default:
        return;
    }
  }

  #open(kind: 'replica' | 'cron', app: string, process: string, unit: string, pid: number, at: number): void {
    const { db, region, liveSpec } = this.#deps;
    const requested = resourcesOf(liveSpec(app), kind, process);
    store.openPeriod(db, {
      app,
      kind,
      process,
      unit,
      pid,
      region,
      cpu: requested?.cpu ?? null,
      memory: requested?.memory ?? null,
      startedAt: at,
    });
  }
}

function resourcesOf(spec: AppSpec | null, kind: 'replica' | 'cron', name: string): ResourcesSpec | null {
  if (!spec) return null;
  const found = kind === 'cron' ? spec.cron.find((job) => job.name === name) : processOf(spec, name);
  return found?.resources ?? null;
}

const PRUNE_EVERY_MS = 86_400_000;

function runUnit(runId: number): string {
  return `run ${runId}`;
}
