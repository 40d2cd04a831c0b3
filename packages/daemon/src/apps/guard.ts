import type { DaemonEvent } from '../events/index.js';
import type { LiveRelease } from '../releases/live.js';
import { loadRelease } from '../releases/load.js';
import { after, type Timer } from '../runtime/timers.js';
import * as store from '../store/index.js';
import { getRun } from '../store/cron.js';
import type { AppsDeps } from './deps.js';
import {
  type Evidence,
  NO_EVIDENCE,
  type Observation,
  observe,
  parseEvidence,
  verdict,
} from './pure/guard.js';
import { restoreGood } from './guard-restore.js';

/** The window of a watch the guard just started, for the deploy's answer. */
export interface GuardWindow {
  readonly watchMs: number;
  readonly until: number;
}

interface Watch {
  readonly version: number;
  readonly guardCron: boolean;
  readonly watchMs: number;
  evidence: Evidence;
  until: number;
  timer: Timer | null;
  /** A rollback is queued: nothing more is counted, and the window stays known until the rollback runs. */
  tripped: boolean;
}

/**
 * The deploy guard (issue 21). After a deploy or rollback switches, it watches the new release for the
 * manifest's `deploy.watch`: the evidence (pure/guard.ts) is stored with the release after every observation,
 * and a trip rolls the release back in the app's turn with the normal rolling switch. The window ends `kept`.
 * Identity and lifecycle: one per daemon; `resume` at start picks up windows a previous daemon left open,
 * `shutdown` cancels timers (the windows stay stored).
 *
 * States of one release's watch (store column `guard`): watching → kept | rolled-back | superseded (another
 * release went live first); a switch that fails forgets its watch.
 */
export class DeployGuard {
  readonly #deps: AppsDeps;
  readonly #watches = new Map<string, Watch>();
  readonly #unsubscribe: () => void;

  constructor(deps: AppsDeps) {
    this.#deps = deps;
    this.#unsubscribe = deps.bus.subscribe((e) => this.#onEvent(e));
  }

  /**
   * Called in the app's turn just before the switch to `release`, so crashes during the switch count too.
   * Null when the release asks for no guard (`deploy.watch: 0`).
   */
  begin(app: string, release: LiveRelease, previous: number | null): Watch | null {
    this.#end(app);
    const { watchMs, guardCron } = release.spec.deploy;
    if (watchMs === 0) {
      // Not watched itself, it still ends the watch of the release it replaces.
      store.supersedeGuards(this.#deps.db, app, release.version);
      return null;
    }
    const until = this.#deps.clock.now() + watchMs;
    store.startGuard(this.#deps.db, app, release.version, previous, until);
    const watch: Watch = {
      version: release.version,
      guardCron,
      watchMs,
      evidence: NO_EVIDENCE,
      until,
      timer: null,
      tripped: false,
    };
    this.#watches.set(app, watch);
    return watch;
  }

  /** The switch is done: the window runs `deploy.watch` from now. */
  switched(app: string, version: number): GuardWindow | null {
    const watch = this.#watches.get(app);
    if (watch?.version !== version) return null;
    watch.until = this.#deps.clock.now() + watch.watchMs;
    store.setGuardUntil(this.#deps.db, app, version, watch.until);
    // Tripped during the switch: its rollback waits for this turn to end; no timer to keep it.
    if (!watch.tripped) this.#arm(app, watch);
    const release = `v${version}`;
    this.#deps.bus.emit({
      type: 'deploy:watching',
      app,
      message: `the deploy guard watches ${release} for ${seconds(watch.watchMs)}`,
      data: { release, watchMs: watch.watchMs, until: new Date(watch.until).toISOString() },
    });
    return { watchMs: watch.watchMs, until: watch.until };
  }

  /** The switch failed: the watch is forgotten (the release is failed for another reason). */
  abandon(app: string, version: number): void {
    if (this.#watches.get(app)?.version !== version) return;
    this.#end(app);
    store.endGuard(this.#deps.db, app, version, null, null);
  }

  /**
   * At daemon start, before the apps are restored (their crashes count): every window left open is resumed
   * for the time it has left, or decided now when it has passed (on what was stored) or already trips.
   */
  resume(): void {
    const { db, clock } = this.#deps;
    for (const row of store.listWatched(db)) {
      try {
        if (store.getApp(db, row.app)?.liveRelease !== row.version) {
          store.endGuard(db, row.app, row.version, 'superseded', null);
          continue;
        }
        const spec = loadRelease(db, this.#deps.basePath, row.app, row.version)?.spec;
        const watch: Watch = {
          version: row.version,
          guardCron: spec?.deploy.guardCron ?? false,
          watchMs: spec?.deploy.watchMs ?? 0,
          evidence: parseEvidence(row.guardEvidence),
          until: row.guardUntil ?? clock.now(),
          timer: null,
          tripped: false,
        };
        this.#watches.set(row.app, watch);
        const trip = verdict(watch.evidence);
        if (trip) this.#rollBack(row.app, watch);
        else this.#arm(row.app, watch);
      } catch (err) {
        this.#deps.onError(err);
      }
    }
  }

  shutdown(): void {
    this.#unsubscribe();
    for (const watch of this.#watches.values()) watch.timer?.cancel();
    this.#watches.clear();
  }

  #arm(app: string, watch: Watch): void {
    watch.timer?.cancel();
    const ms = watch.until - this.#deps.clock.now();
    const fire = () => this.#keep(app, watch);
    // unref: an open window never keeps a stopping daemon alive; it is stored and resumed.
    watch.timer = this.#deps.timers ? this.#deps.timers.after(ms, fire) : after(ms, fire, { unref: true });
  }

  #end(app: string): void {
    this.#watches.get(app)?.timer?.cancel();
    this.#watches.delete(app);
  }

  #onEvent(e: DaemonEvent): void {
    const watch = this.#watches.get(e.app);
    if (!watch || watch.tripped) return;
    const obs = this.#observation(e, watch);
    const at = this.#deps.clock.now();
    if (!obs || at > watch.until) return;
    watch.evidence = observe(watch.evidence, obs, watch.guardCron);
    try {
      store.setGuardEvidence(this.#deps.db, e.app, watch.version, JSON.stringify(watch.evidence));
    } catch (err) {
      this.#deps.onError(err);
    }
    if (verdict(watch.evidence)) this.#rollBack(e.app, watch);
  }

  /** What an event says about the watched release; null for events of other releases or of no interest. */
  #observation(e: DaemonEvent, watch: Watch): Observation | null {
    const release = `v${watch.version}`;
    const at = this.#deps.clock.now();
    const replica = e.replica ?? '';
    switch (e.type) {
      case 'replica:crashed': {
        const d = e.data as DaemonEvent<'replica:crashed'>['data'];
        if (d.release !== release) return null;
        return {
          kind: 'crash',
          replica,
          at,
          code: d.code,
          signal: d.signal,
          cause: d.cause,
          lastLines: d.lastLines,
        };
      }
      case 'replica:unhealthy': {
        const d = e.data as DaemonEvent<'replica:unhealthy'>['data'];
        if (d.release !== release) return null;
        return { kind: 'probe-restart', replica, at, error: d.error, lastLines: d.lastLines };
      }
      case 'cron:run:finished': {
        const d = e.data as DaemonEvent<'cron:run:finished'>['data'];
        if (d.status !== 'failed' && d.status !== 'timed_out') return null;
        if (getRun(this.#deps.db, d.runId)?.release !== watch.version) return null;
        return {
          kind: 'cron-failed',
          job: d.job,
          runId: d.runId,
          at,
          status: d.status,
          exitCode: d.exitCode,
          signal: d.signal,
          reason: d.reason,
        };
      }
      default:
        return null;
    }
  }

  /** The window passed without a trip: the release is kept (in the app's turn, after any switch in flight). */
  #keep(app: string, watch: Watch): void {
    void this.#deps.queue
      .run(app, () => {
        if (this.#watches.get(app) !== watch) return Promise.resolve();
        this.#end(app);
        if (!this.#stillWatched(app, watch.version)) return Promise.resolve();
        store.endGuard(this.#deps.db, app, watch.version, 'kept', null);
        const release = `v${watch.version}`;
        this.#deps.bus.emit({
          type: 'deploy:kept',
          app,
          message: `${release} passed the deploy guard's ${seconds(watch.watchMs)} watch`,
          data: { release, watchMs: watch.watchMs },
        });
        return Promise.resolve();
      })
      .catch(this.#deps.onError);
  }

  #rollBack(app: string, watch: Watch): void {
    const trip = verdict(watch.evidence);
    if (!trip) return;
    // Later crashes of the same release must not queue a second rollback.
    watch.tripped = true;
    watch.timer?.cancel();
    void this.#deps.queue
      .run(app, async () => {
        if (this.#watches.get(app) === watch) this.#end(app);
        if (!this.#stillWatched(app, watch.version)) return;
        await restoreGood(this.#deps, app, watch.version, trip, watch.evidence);
      })
      .catch(this.#deps.onError);
  }

  /** The release is still live and its watch still open (a deploy or destroy may have come first). */
  #stillWatched(app: string, version: number): boolean {
    const { db } = this.#deps;
    if (store.getApp(db, app)?.liveRelease !== version) {
      if (store.getRelease(db, app, version)?.guard === 'watching')
        store.endGuard(db, app, version, 'superseded', null);
      return false;
    }
    return store.getRelease(db, app, version)?.guard === 'watching';
  }
}

function seconds(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 100) / 10}s`;
}
