import type { DaemonInfo } from '@nightshift/protocol';
import type { Apps } from '../apps/index.js';
import type { DrainManager } from '../drains/manager.js';
import type { EventBus } from '../events/index.js';
import type { LogService } from '../logs/index.js';
import type { Timeline } from '../events/timeline.js';
import type { LiveRelease } from '../releases/live.js';
import type { Scheduler } from '../scheduler/index.js';
import type { SecretsService } from '../secrets/index.js';
import type { Clock } from '../runtime/clock.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { UsageViews } from '../metrics/index.js';
import type { Autoscaler } from '../autoscale/index.js';
import type { UsageReports } from '../accounting/index.js';
import type { DashboardSessions } from './dashboard/sessions.js';
import type { QueueOps } from '../queues/index.js';

/** What the routes reach: services only, never the composition root. */
export interface ApiServices {
  readonly bus: EventBus;
  readonly clock: Clock;
  /** Read-only views of what runs (ps, live release, process specs); changes go through `apps`. */
  readonly supervisor: Supervisor;
  /** Every change to an app: deploy, rollback, scale, stop/start, restart, destroy; and the app listings. */
  readonly apps: Apps;
  /** The app timeline (events), read-only. */
  readonly timeline: Timeline;
  readonly logs: LogService;
  readonly drains: DrainManager;
  /** Config vars and secrets: writes, listings (never a secret's value), key rotation. */
  readonly secrets: SecretsService;
  /** Cron: jobs, history, Run now, suspend/resume, run logs. */
  readonly scheduler: Scheduler;
  /** Replica CPU and memory: the latest sample (ps) and stored series. */
  readonly usage: UsageViews;
  /** The last autoscale decision and the signals of each autoscaled process (read-only). */
  readonly autoscaler: Pick<Autoscaler, 'view' | 'boundsOf'>;
  /** Billed usage: replica-, vCPU- and GiB-minutes from the recorded runtime periods. */
  readonly usageReports: UsageReports;
  /** Bulk operations on the app's BullMQ queues (list with counts, pause/resume, retry, clean, cancel). */
  readonly queues: QueueOps;
  readonly info: () => DaemonInfo;
  /** Dashboard logins: codes, sessions, the token a login page may be given, and the page's address. */
  readonly dashboard: {
    readonly sessions: DashboardSessions;
    readonly token: string;
    /** `http://127.0.0.1:<port>/`: where the TCP listener is reached from this machine. */
    readonly url: () => string;
  };
  /** What `ps` prints under its table about the shared Redis (eviction policy, memory, refused writes). */
  readonly redisWarnings: () => string[];
  /** The environment of a one-off command: a process type's (web's PORT included), or the app's without PORT. */
  readonly oneOffEnv: (release: LiveRelease, process: string | null) => Record<string, string>;
  /** Asks the daemon to stop; resolves when the stop has begun. */
  readonly requestStop: () => void;
}
