import type { AppSpec } from '@nightshift/manifest';
import { buildEnvironment, type EnvTarget } from '../process/environment.js';
import type { LiveRelease } from '../releases/live.js';
import { perTurn } from '../runtime/per-turn.js';

/** Where an app's own layers of the environment come from. */
export interface AppEnvSources {
  /** The daemon's variables that pass through (PATH, HOME, LANG). */
  readonly base: Readonly<Record<string, string>>;
  readonly region: string;
  readonly configVars: (app: string) => Record<string, string>;
  /** The decrypted values of the named secrets (throws for one that fails authentication). */
  readonly secrets: (app: string, names: readonly string[]) => Record<string, string>;
  /** `REDIS_URL` and the prefix of a `redis: true` app once its user exists, else null. */
  readonly redis: (app: string) => { url: string; prefix: string } | null;
  /** The operator's proxy, CA and package-index variables (`DaemonConfig.buildEnv`): builds get them, nothing else. */
  readonly buildSettings: Readonly<Record<string, string>>;
}

/** The environments of an app's processes, each built from the release and the app's current vars and secrets. */
export interface AppEnvironments {
  /** A replica's, a cron run's or a one-off's environment (DESIGN §3). */
  readonly environment: (release: LiveRelease, target: EnvTarget) => Record<string, string>;
  /**
   * The same, read now instead of from the turn's memo: a check made inside a write's transaction must see
   * the rows it wrote, and must leave nothing cached when that write is rolled back.
   */
  readonly environmentNow: (release: LiveRelease, target: EnvTarget) => Record<string, string>;
  /** The environment of a one-off command: a process type's (web's PORT included), or the app's without PORT. */
  readonly oneOff: (release: LiveRelease, process: string | null) => Record<string, string>;
  /** The predeploy hook's: the app's, without PORT. */
  readonly predeploy: (release: LiveRelease) => Record<string, string>;
  /** A release build's: the base, the operator's build settings, TZ=UTC, then the manifest's env (README, Environment). */
  readonly build: (spec: AppSpec) => Record<string, string>;
}

export function appEnvironments(sources: AppEnvSources): AppEnvironments {
  const inputsOf = (release: LiveRelease) => ({
    configVars: sources.configVars(release.spec.name),
    secrets: sources.secrets(release.spec.name, release.spec.secrets),
    redis: release.spec.redis ? sources.redis(release.spec.name) : null,
  });
  // One read of the vars and one decryption per app and turn: a reconcile starts many replicas in one pass.
  const appInputs = perTurn((release: LiveRelease) => `${release.spec.name}@${release.version}`, inputsOf);
  const build =
    (inputs: typeof inputsOf) =>
    (release: LiveRelease, target: EnvTarget): Record<string, string> =>
      buildEnvironment(
        {
          spec: release.spec,
          release: `v${release.version}`,
          region: sources.region,
          base: { ...sources.base, ...release.runtimeEnv },
          ...inputs(release),
        },
        target,
      );
  const environment = build(appInputs);
  return {
    environment,
    environmentNow: build(inputsOf),
    oneOff: (release, proc) =>
      environment(
        release,
        proc === 'web' && release.spec.web
          ? { kind: 'one-off', process: 'web', port: release.spec.web.port }
          : { kind: 'one-off', process: proc },
      ),
    predeploy: (release) => environment(release, { kind: 'one-off', process: null }),
    build: (spec) => ({ ...sources.base, ...sources.buildSettings, TZ: 'UTC', ...spec.env }),
  };
}
