import type {
  AppEntry,
  DeployResponse,
  RedisInfo,
  ReleaseEntry,
  RollbackResponse,
  ScaleRequest,
} from '@nightshift/protocol';
import type { AppsDeps } from './deps.js';
import { deploy, type DeployOptions } from './deploy.js';
import { destroy } from './destroy.js';
import { DeployGuard } from './guard.js';
import { restart, restartProcesses } from './restart.js';
import { flushRedis, redisInfo, rotateRedis } from './redis.js';
import { restoreApps } from './restore.js';
import { rollback } from './rollback.js';
import { scale, setStopped, type ScaleResult } from './scale.js';
import { applyAutoscale, setAutoscaleBounds } from './autoscale.js';
import type { AutoscaleDecision } from '../supervisor/pure/autoscale.js';
import { knownApp, listApps, listReleases, runningApp } from './views.js';

/**
 * The app use cases behind one object for the API and the composition root. The only code that changes an
 * app's desired state; each change runs in the app's turn of `deps.queue`. Identity: one per daemon.
 */
export class Apps {
  readonly #deps: AppsDeps;
  readonly #guard: DeployGuard;

  constructor(deps: AppsDeps) {
    this.#deps = deps;
    this.#guard = new DeployGuard(deps);
  }

  list(): AppEntry[] {
    return listApps(this.#deps.db, this.#deps.supervisor);
  }

  releases(app: string): ReleaseEntry[] {
    return listReleases(this.#deps.db, app);
  }

  /** Throws `NS_APP_NOT_FOUND` unless the daemon knows `app`. */
  known(app: string): string {
    return knownApp(this.#deps.db, app);
  }

  /** Throws unless `app` runs a live release. */
  running(app: string): string {
    return runningApp(this.#deps.db, this.#deps.supervisor, app);
  }

  deploy(opts: DeployOptions): Promise<DeployResponse> {
    return deploy(this.#deps, this.#guard, opts);
  }

  rollback(app: string, target?: number): Promise<RollbackResponse> {
    return rollback(this.#deps, this.#guard, app, target);
  }

  scale(app: string, changes: ScaleRequest['changes']): Promise<ScaleResult[]> {
    return scale(this.#deps, app, changes);
  }

  /** The autoscaler's change of a count (false when the count moved meanwhile and the decision was dropped). */
  autoscale(
    app: string,
    process: string,
    decision: AutoscaleDecision,
    bounds: { min: number; max: number },
  ): Promise<boolean> {
    return applyAutoscale(this.#deps, app, process, decision, bounds);
  }

  /** `scale PROC --min N --max M`. */
  setAutoscaleBounds(
    app: string,
    process: string,
    wanted: { min?: number | undefined; max?: number | undefined },
  ) {
    return setAutoscaleBounds(this.#deps, app, process, wanted);
  }

  setStopped(app: string, process: string, stopped: boolean): Promise<void> {
    return setStopped(this.#deps, app, process, stopped);
  }

  /** `nightshift restart [PROC]`, with its `process:restarted` event. */
  restart(app: string, process?: string): Promise<void> {
    return restart(this.#deps, app, process);
  }

  /** A rolling restart of every process without an event of its own (the caller, e.g. a secret change, says why). */
  restartAll(app: string): Promise<void> {
    return restartProcesses(this.#deps, app);
  }

  destroy(app: string): Promise<void> {
    return destroy(this.#deps, app);
  }

  /** `nightshift redis info` (throws `NS_REDIS_NOT_ENABLED` for an app without `redis: true`). */
  redisInfo(app: string): Promise<RedisInfo> {
    return redisInfo(this.#deps, app);
  }

  /** `nightshift redis rotate`: a new Redis password, rolled out to every process. */
  rotateRedis(app: string): Promise<void> {
    return rotateRedis(this.#deps, app);
  }

  /** `nightshift redis flush`: deletes the app's Redis keys; returns how many. */
  flushRedis(app: string): Promise<number> {
    return flushRedis(this.#deps, app);
  }

  /**
   * Starts every app's live release again at daemon start (see `restoreApps`), after resuming the deploy
   * guard's open windows so that crashes of the restored replicas count.
   */
  restoreAll(stopping: () => boolean): Promise<void[]> {
    this.#guard.resume();
    return restoreApps(this.#deps, stopping);
  }

  /** Daemon stop: the guard's timers end; open windows stay stored for the next daemon. */
  shutdown(): void {
    this.#guard.shutdown();
  }
}
