import type { AppSpec } from '@nightshift/manifest';
import type { RedisInfo } from '@nightshift/protocol';
import type { ProcessDriver } from '../drivers/index.js';
import type { EventBus } from '../events/index.js';
import type { AppRetention, LogFilter, LogLine } from '../logs/index.js';
import type { OutputSink } from '../process/output.js';
import type { LiveRelease } from '../releases/live.js';
import type { Clock } from '../runtime/clock.js';
import type { Timers } from '../runtime/timers.js';
import type * as store from '../store/index.js';
import type { ReplicaLimits } from '../supervisor/pure/limits.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { AppQueue } from './queue.js';
import type { AutoscaleBounds } from '../autoscale/bounds.js';

/** What the app use cases need, given once by the composition root. */
export interface AppsDeps {
  readonly db: store.Db;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly driver: ProcessDriver;
  readonly output: OutputSink;
  readonly supervisor: Supervisor;
  /** The one serial queue of each app. */
  readonly queue: AppQueue;
  readonly logs: {
    readRunLog(path: string): Promise<LogLine[]>;
    subscribe(filter: LogFilter, listener: (line: LogLine) => void): () => void;
    removeApp(app: string): Promise<void>;
    /** What the live release's manifest asks to keep of the app's logs (null: the daemon's defaults). */
    setRetention(app: string, own: AppRetention | null): void;
  };
  /** Cron: the jobs that follow the live release, and the folders its runs still use. */
  readonly cron: {
    activate(app: string, live: LiveRelease): void;
    removeApp(app: string): Promise<void>;
    releaseInUse(app: string, version: number): boolean;
  };
  readonly drains: { removeApp(app: string): Promise<void> };
  readonly secrets: {
    /** Every secret the release lists decrypts (else the app stays down, loudly). */
    readable(spec: AppSpec): boolean;
    forgetApp(app: string): void;
  };
  /** Each `redis: true` app's ACL user on the shared Redis (redis/service.ts). */
  readonly redis: {
    provision(app: string): Promise<void>;
    removeApp(app: string): Promise<number>;
    flush(app: string): Promise<number>;
    rotate(app: string, restart: () => Promise<boolean>): Promise<boolean>;
    info(app: string): Promise<RedisInfo>;
  };
  /** `<home>/apps` */
  readonly appsDir: string;
  /** The daemon's PATH, under which a Python release puts its venv. */
  readonly basePath: string;
  /** The environment builds run with (PATH, HOME, LANG, the daemon's proxy/CA settings, the manifest's env). */
  readonly buildEnv: (spec: AppSpec) => Record<string, string>;
  /** The app's environment for the predeploy hook (like web's, without PORT). */
  readonly predeployEnv: (release: LiveRelease) => Record<string, string>;
  /** Checks that must pass before anything is built (e.g. every secret the manifest lists exists). */
  readonly preflight: (spec: AppSpec) => void;
  /** V8's compile cache for the manifest reader (a folder the daemon may create). */
  readonly compileCacheDir?: string;
  /** Releases kept besides the live one. */
  readonly keepReleases: number;
  /** What a release asks for that the daemon does not provide: said at every deploy, never silently ignored. */
  readonly warnings: (spec: AppSpec) => string[];
  /** Bounds set by `scale PROC --min/--max` (autoscale/bounds.ts). */
  readonly autoscaleBounds: AutoscaleBounds;
  /** How many replicas a process and the daemon may run. */
  readonly limits: ReplicaLimits;
  /** The deploy guard's window timers; absent: the system's, unref'd (tests bring their own). */
  readonly timers?: Timers;
  /** Failures worth the daemon's log that no caller can act on. */
  readonly onError: (err: unknown) => void;
}
