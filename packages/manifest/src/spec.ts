/**
 * The compiled, defaulted, read-only form of `.paas/app.yaml`. Core code (daemon, render, CLI) only ever
 * sees this shape: every default is applied by the parser, never inline by a consumer.
 * Times are milliseconds, memory is bytes, CPU is cores.
 */

/** A command to execute. `shell` is true when the source string needs `/bin/sh -c` (pipes, `&&`, `$VAR`…). */
export interface CommandSpec {
  /** argv to spawn; when `shell` is true this is `['/bin/sh', '-c', source]`. */
  readonly argv: readonly string[];
  readonly shell: boolean;
  /** The text as written in the manifest, for display. */
  readonly source: string;
}

export interface ResourcesSpec {
  /** Cores, e.g. 0.5 for `500m`; null when not set. */
  readonly cpu: number | null;
  /** Bytes, e.g. 536870912 for `512Mi`; null when not set. */
  readonly memory: number | null;
}

export interface QueueScaleSpec {
  /** `bullmq` scales on `<app>:bull:<name>:wait`; `rabbitmq` on the queue's ready messages. */
  readonly kind: 'bullmq' | 'rabbitmq';
  readonly name: string;
  /** Waiting jobs one replica is expected to handle (the KEDA/HPA target value). */
  readonly target: number;
}

export interface AutoscaleSpec {
  readonly min: number;
  readonly max: number;
  /** Target average CPU utilisation in percent of `resources.cpu`; null when not scaling on CPU. */
  readonly cpu: number | null;
  /** Target average memory utilisation in percent of `resources.memory`. */
  readonly memory: number | null;
  readonly queue: QueueScaleSpec | null;
  /** Scale-down stabilisation window (`scale_down_after`). */
  readonly scaleDownAfterMs: number;
}

export interface HealthSpec {
  /** `http` when a path is given, `tcp` otherwise. */
  readonly type: 'http' | 'tcp';
  readonly port: number;
  /** HTTP path (`/healthz`); null for TCP probes. */
  readonly path: string | null;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failures that restart the replica. */
  readonly failures: number;
  /** Grace after each start during which failed probes do not count. */
  readonly startPeriodMs: number;
}

export interface MetricsSpec {
  readonly port: number;
  readonly path: string;
  /** Time between the daemon's scrapes of each replica. */
  readonly intervalMs: number;
}

export interface RestartSpec {
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly resetAfterMs: number;
  /** Consecutive crashes after which the replica is `failed` and left stopped; null: never give up. */
  readonly maxRestarts: number | null;
}

/** The deploy guard (`deploy:` in the manifest). */
export interface DeploySpec {
  /** How long a new release is watched after its switch; 0: not watched. */
  readonly watchMs: number;
  /** Failed cron runs in the window count against the release too. */
  readonly guardCron: boolean;
}

/** Per-region overrides for the Kubernetes render; fields left null inherit the process's own. */
export interface RegionOverrideSpec {
  readonly replicas: number | null;
  readonly autoscale: AutoscaleSpec | null;
  readonly resources: ResourcesSpec | null;
}

/** What web and workers share. */
export interface ProcessSpec {
  readonly kind: 'web' | 'worker';
  readonly name: string;
  readonly command: CommandSpec;
  /** Fixed replica count; null when `autoscale` is set. */
  readonly replicas: number | null;
  readonly autoscale: AutoscaleSpec | null;
  readonly resources: ResourcesSpec;
  readonly health: HealthSpec | null;
  readonly metrics: MetricsSpec | null;
  readonly restart: RestartSpec;
  readonly stopGraceMs: number;
  /** How long a new replica must run (or pass its probe) before a rolling switch stops an old one. */
  readonly minReadyMs: number;
  readonly env: Readonly<Record<string, string>>;
  readonly regions: Readonly<Record<string, RegionOverrideSpec>>;
}

export interface WorkerSpec extends ProcessSpec {
  readonly kind: 'worker';
}

export interface WebSpec extends ProcessSpec {
  readonly kind: 'web';
  readonly name: 'web';
  readonly port: number;
}

export type OverlapPolicy = 'forbid' | 'queue_one' | 'replace' | 'allow';

export interface CronSpec {
  readonly name: string;
  /** Normalised: a 5-field expression, or a nickname such as `@daily`. Always UTC. */
  readonly schedule: string;
  readonly command: CommandSpec;
  /** null = no timeout. */
  readonly timeoutMs: number | null;
  readonly overlap: OverlapPolicy;
  readonly history: { readonly keep: number; readonly days: number };
  /** Region the job runs in when rendered for several regions; null = the first listed region. */
  readonly region: string | null;
  readonly resources: ResourcesSpec;
  readonly env: Readonly<Record<string, string>>;
}

export interface BuildSpec {
  /** null = detected from the folder (package.json, requirements.txt, …). */
  readonly install: CommandSpec | null;
  readonly command: CommandSpec | null;
}

/**
 * Log retention the manifest asks for; null leaves the daemon's default (its configuration) in force. The
 * daemon's total cap across apps applies on top.
 */
export interface LogsSpec {
  /** Bytes the app's log files may take on disk. */
  readonly retainBytes: number | null;
  /** Segments whose newest line is older than this are removed. */
  readonly maxAgeMs: number | null;
}

export interface AppSpec {
  readonly name: string;
  /** null when the manifest has no `build`: the runtime is detected. */
  readonly build: BuildSpec | null;
  readonly predeploy: CommandSpec | null;
  readonly deploy: DeploySpec;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
  readonly redis: boolean;
  /** Empty when the manifest lists none; the local driver is always one region. */
  readonly regions: readonly string[];
  readonly web: WebSpec | null;
  readonly workers: readonly WorkerSpec[];
  readonly cron: readonly CronSpec[];
  readonly logs: LogsSpec;
}

/** One problem found in a manifest. Every diagnostic is located. */
export interface ManifestDiagnostic {
  readonly severity: 'error' | 'warning';
  /** Stable catalogue code, e.g. `NS_MANIFEST_UNKNOWN_KEY` (docs/errors.md). */
  readonly code: string;
  readonly message: string;
  readonly hint: string;
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/**
 * The outcome of `parseManifest`. `errors` and `warnings` hold the first 100 of each in file order; the
 * `…Omitted` counts say how many more there were (print them as one line: `formatOmitted`).
 */
export type ParseResult =
  | {
      readonly ok: true;
      readonly spec: AppSpec;
      readonly warnings: readonly ManifestDiagnostic[];
      readonly warningsOmitted: number;
    }
  | {
      readonly ok: false;
      readonly errors: readonly ManifestDiagnostic[];
      readonly warnings: readonly ManifestDiagnostic[];
      readonly errorsOmitted: number;
      readonly warningsOmitted: number;
    };

/** Inputs of `parseManifest` besides the text. */
export interface ParseOptions {
  /** Shown in diagnostics, e.g. `.paas/app.yaml`. */
  readonly file: string;
  /**
   * The name of the app's folder, for a manifest without `name`. It is made into a valid app name
   * (`My_Shop` → `my-shop`, see `appNameFromFolder`); an error asks for `name:` when nothing valid is left.
   */
  readonly defaultName?: string;
  /** Reference time for the "has a slot in the next 5 years" check; PURE code takes no clock. */
  readonly now: Date;
}
