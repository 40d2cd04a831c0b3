import type { AppSpec } from '@nightshift/manifest';

/**
 * The release an app runs: what the supervisor, the scheduler and one-offs start processes from. Lives with
 * releases (not the supervisor) because cron and one-offs need it without depending on replica supervision.
 */
export interface LiveRelease {
  readonly version: number;
  readonly path: string;
  readonly spec: AppSpec;
  /** Variables the detected runtime adds under the manifest's (NODE_ENV, a Python venv on PATH). */
  readonly runtimeEnv?: Readonly<Record<string, string>>;
}
