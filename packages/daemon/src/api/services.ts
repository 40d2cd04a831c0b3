import type { DaemonInfo } from '@nightshift/protocol';
import type { DrainManager } from '../drains/manager.js';
import type { EventBus } from '../events/index.js';
import type { LogService } from '../logs/index.js';
import type { Releases } from '../releases/deploy.js';
import type { Scheduler } from '../scheduler/index.js';
import type { SecretsService } from '../secrets/index.js';
import type { Clock } from '../runtime/clock.js';
import type { Db } from '../store/index.js';
import type { ReplicaLimits } from '../supervisor/pure/limits.js';
import type { LiveRelease, Supervisor } from '../supervisor/supervisor.js';

/** What the routes reach: services only, never the composition root. */
export interface ApiServices {
  readonly db: Db;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly supervisor: Supervisor;
  readonly releases: Releases;
  readonly logs: LogService;
  readonly drains: DrainManager;
  /** Config vars and secrets: writes, listings (never a secret's value), key rotation. */
  readonly secrets: SecretsService;
  /** Cron: jobs, history, Run now, suspend/resume, run logs. */
  readonly scheduler: Scheduler;
  readonly info: () => DaemonInfo;
  /** The environment of a one-off command: a process type's (web's PORT included), or the app's without PORT. */
  readonly oneOffEnv: (release: LiveRelease, process: string | null) => Record<string, string>;
  /** How many replicas a process and the daemon may run. */
  readonly replicaLimits: ReplicaLimits;
  /** Asks the daemon to stop; resolves when the stop has begun. */
  readonly requestStop: () => void;
  /** Stops and forgets an app: processes, releases, logs. */
  readonly destroyApp: (app: string) => Promise<void>;
}
