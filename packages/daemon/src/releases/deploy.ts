import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AppSpec } from '@nightshift/manifest';
import { ErrorCodes, NightshiftError, type DeployResponse } from '@nightshift/protocol';
import type { ProcessDriver } from '../drivers/index.js';
import type { EventBus } from '../events/index.js';
import type { LogFilter, LogLine } from '../logs/index.js';
import type { Clock } from '../runtime/clock.js';
import type { OutputSink } from '../runtime/output.js';
import * as store from '../store/index.js';
import type { LiveRelease, Supervisor } from '../supervisor/supervisor.js';
import { runBuild, runStep } from './build.js';
import { loadManifest, MANIFEST_PATH } from './load-manifest.js';
import { runtimeEnvOf } from './runtime-env.js';
import { stageSource } from './stage.js';

export interface DeployDeps {
  readonly db: store.Db;
  readonly bus: EventBus;
  readonly driver: ProcessDriver;
  readonly output: OutputSink;
  readonly logs: {
    readRunLog(path: string): Promise<LogLine[]>;
    subscribe(filter: LogFilter, listener: (line: LogLine) => void): () => void;
  };
  readonly clock: Clock;
  readonly supervisor: Supervisor;
  /** `<home>/apps` */
  readonly appsDir: string;
  /** The daemon's PATH, under which a Python release puts its venv. */
  readonly basePath: string;
  /** The environment builds run with (PATH, HOME, LANG, the daemon's proxy/CA settings, the manifest's env). */
  readonly buildEnv: (spec: AppSpec) => Record<string, string>;
  /** The app's environment for the predeploy hook (like web's, without PORT). */
  readonly predeployEnv: (release: LiveRelease) => Record<string, string>;
  /** Checks that must pass before anything is built (e.g. every secret the manifest lists exists). */
  readonly preflight?: (spec: AppSpec) => void;
  /** V8's compile cache for the manifest reader (a folder the daemon may create). */
  readonly compileCacheDir?: string;
  /** Releases kept besides the live one. */
  readonly keepReleases: number;
  /** What a release asks for that the daemon does not provide: said at every deploy, never silently ignored. */
  readonly warnings?: (spec: AppSpec) => string[];
  /** Failures worth the daemon's log that no caller can act on. */
  readonly onError?: (err: unknown) => void;
  /** True while something (a cron run) still uses a release's folder. */
  readonly inUse?: (app: string, version: number) => boolean;
}

export interface DeployOptions {
  readonly dir: string;
  readonly manifest?: string | undefined;
  /** A git ref: deploy exactly that commit instead of the working folder. */
  readonly ref?: string | undefined;
  /** Receives each line of the build and predeploy output as it happens. */
  readonly onLine?: ((line: string) => void) | undefined;
}

const TAIL_LINES = 30;

/**
 * Releases: stage the code, build it, run the predeploy hook, and make it live with a rolling switch;
 * roll back to an earlier release without rebuilding. Operations on one app run one at a time; a failed
 * build or predeploy leaves the live release and its processes untouched.
 */
/** Staging folders only need to be unique within this daemon (one per home, holding its lock). */
let stagingSeq = 0;

export class Releases {
  #deps: DeployDeps;
  #locks = new Map<string, Promise<unknown>>();

  constructor(deps: DeployDeps) {
    this.#deps = deps;
  }

  /** The spec and folder of a stored, built release, or null. */
  load(app: string, version: number): LiveRelease | null {
    const row = store.getRelease(this.#deps.db, app, version);
    if (!row?.specJson || row.status !== 'succeeded' || !existsSync(row.path)) return null;
    return {
      version,
      path: row.path,
      spec: JSON.parse(row.specJson) as AppSpec,
      runtimeEnv: runtimeEnvOf(row.path, this.#deps.basePath),
    };
  }

  async deploy(opts: DeployOptions): Promise<DeployResponse> {
    const staging = join(this.#deps.appsDir, '.staging', `${Date.now().toString(36)}-${++stagingSeq}`);
    let spec: AppSpec;
    let source: string;
    try {
      source = await stageSource(opts.dir, staging, opts.ref);
      spec = await loadManifest(staging, opts.manifest ?? MANIFEST_PATH, new Date(this.#deps.clock.now()), {
        defaultName: basename(opts.dir),
        ...(this.#deps.compileCacheDir ? { compileCacheDir: this.#deps.compileCacheDir } : {}),
      });
      this.#deps.preflight?.(spec);
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
    return this.#exclusive(spec.name, () => this.#deploy(spec, staging, source, opts.onLine));
  }

  /**
   * Starts an app's live release again at daemon start, in the app's turn (a deploy that arrives meanwhile
   * waits). `canStart` may refuse (secrets that no longer decrypt: the app stays down, loudly).
   */
  restore(app: string, version: number, canStart: (live: LiveRelease) => boolean, started: (live: LiveRelease) => void): Promise<void> {
    return this.#exclusive(app, async () => {
      if (store.getApp(this.#deps.db, app)?.liveRelease !== version) return;
      const live = this.load(app, version);
      if (!live || !canStart(live)) return;
      const { failures } = await this.#deps.supervisor.activate(app, live);
      if (failures.length > 0) {
        this.#deps.onError?.(new Error(`${app} v${version}: could not start ${failures.map((f) => `${f.replica}: ${f.error}`).join('; ')} (retrying with backoff)`));
      }
      started(live);
    });
  }

  /** Makes an earlier release live again (default: the newest good one before the live one). No rebuild. */
  rollback(app: string, target?: number): Promise<{ app: string; release: string; previous: string }> {
    return this.#exclusive(app, async () => {
      const { db, bus } = this.#deps;
      const live = store.getApp(db, app)?.liveRelease ?? null;
      if (live === null) {
        throw new NightshiftError(ErrorCodes.noRelease, `app "${app}" has no live release to roll back from`, 'deploy it first');
      }
      const candidates = store.listReleases(db, app).filter((r) => r.status === 'succeeded' && r.version !== live);
      const version = target ?? candidates.find((r) => r.version < live)?.version;
      const release = version === undefined ? null : this.load(app, version);
      if (version === undefined || !release) {
        const kept = candidates.filter((r) => existsSync(r.path)).map((r) => `v${r.version}`);
        throw new NightshiftError(
          ErrorCodes.noRelease,
          version === undefined ? `${app} has no earlier good release` : `v${version} of ${app} is not a good release that is still kept`,
          kept.length ? `releases you can roll back to: ${kept.join(', ')}` : 'deploy a fix instead',
        );
      }
      if (version === live) {
        throw new NightshiftError(ErrorCodes.badRequest, `v${version} is already live`, 'name another release, e.g. `nightshift rollback v3`');
      }
      // The release's manifest may list a secret removed since: refuse like a deploy would.
      this.#deps.preflight?.(release.spec);
      await this.#switchTo(app, release, live, () => Promise.resolve());
      bus.emit({
        type: 'rollback',
        app,
        message: `rolled back from v${live} to v${version}`,
        data: { release: `v${version}`, previous: `v${live}` },
      });
      return { app, release: `v${version}`, previous: `v${live}` };
    });
  }

  async #deploy(spec: AppSpec, staging: string, source: string, onLine?: (line: string) => void): Promise<DeployResponse> {
    const { db, bus, clock } = this.#deps;
    const app = spec.name;
    const releasesDir = join(this.#deps.appsDir, app, 'releases');
    const version = store.transaction(db, () => {
      store.ensureApp(db, app, source, clock.now());
      const v = store.nextVersion(db, app);
      store.insertRelease(db, { app, version: v, createdAt: clock.now(), source, status: 'building', path: join(releasesDir, `v${v}`) });
      return v;
    });
    const release = `v${version}`;
    const path = join(releasesDir, release);
    const logFile = join(releasesDir, `${release}.build.log`);
    await mkdir(releasesDir, { recursive: true, mode: 0o700 });
    await rm(path, { recursive: true, force: true });
    await rename(staging, path);
    const previous = store.getApp(db, app)?.liveRelease ?? null;
    bus.emit({ type: 'deploy:started', app, message: `deploying ${release} from ${source}`, data: { release, source } });
    const unsubscribe = onLine
      ? this.#deps.logs.subscribe({ app, process: 'build' }, (line) => {
          if (line.source.endsWith(`:${release}`)) onLine(line.message);
        })
      : () => undefined;

    try {
      const fail = async (reason: string, hint: string): Promise<never> => {
        store.finishRelease(db, app, version, 'failed', null);
        const logTail = (await this.#deps.logs.readRunLog(logFile).catch(() => [])).slice(-TAIL_LINES).map((l) => l.message);
        bus.emit({ type: 'deploy:failed', app, message: `${release} failed: ${reason}`, data: { release, reason, logTail } });
        await rm(path, { recursive: true, force: true });
        throw new NightshiftError(
          ErrorCodes.buildFailed,
          `${release} of ${app} failed: ${reason}${previous ? `; v${previous} stays live` : ''}${
            logTail.length ? `\n--- log (last ${logTail.length} lines) ---\n${logTail.join('\n')}` : ''
          }`,
          hint,
          { details: { logTail } },
        );
      };

      const common = { app, version, dir: path, spec, logFile, driver: this.#deps.driver, output: this.#deps.output };
      const built = await runBuild({ ...common, env: this.#deps.buildEnv(spec) });
      if (!built.ok) {
        return await fail(`build step \`${built.failedStep}\` exited with ${built.exitCode ?? 'an error'}`, 'fix the build and deploy again');
      }
      const live: LiveRelease = { version, path, spec, runtimeEnv: runtimeEnvOf(path, this.#deps.basePath) };
      if (spec.predeploy) {
        const hook = await runStep({
          ...common,
          source: `predeploy:${release}`,
          argv: spec.predeploy.argv,
          label: `predeploy: ${spec.predeploy.source}`,
          env: this.#deps.predeployEnv(live),
        });
        if (!hook.ok) {
          return await fail(`predeploy \`${spec.predeploy.source}\` exited with ${hook.exitCode ?? 'an error'}`, 'fix the predeploy command; nothing was switched');
        }
      }
      store.finishRelease(db, app, version, 'succeeded', JSON.stringify(spec));
      await this.#switchTo(app, live, previous, async (failed) => {
        store.finishRelease(db, app, version, 'failed', null);
        bus.emit({ type: 'deploy:failed', app, message: `${release} failed: ${failed}`, data: { release, reason: failed, logTail: [] } });
        await rm(path, { recursive: true, force: true });
      });
      bus.emit({
        type: 'deploy:finished',
        app,
        message: `${release} is live`,
        data: { release, previous: previous === null ? null : `v${previous}` },
      });
      const warnings = this.#deps.warnings?.(spec) ?? [];
      for (const warning of warnings) bus.emit({ type: 'deploy:warning', app, message: `${release}: ${warning}`, data: { release, warning } });
      await this.#prune(app, version);
      const buildLogTail = (await this.#deps.logs.readRunLog(logFile).catch(() => [])).slice(-TAIL_LINES).map((l) => l.message);
      return { app, release, buildLogTail, warnings };
    } finally {
      unsubscribe();
    }
  }

  /**
   * Makes `release` live. When some of its replicas cannot be started at all, it is not live: the previous
   * release goes back (its replicas were kept where the switch had not reached them yet), `onFailed` records
   * the failure, and the caller gets an error naming each replica and why.
   */
  async #switchTo(app: string, release: LiveRelease, previous: number | null, onFailed: (reason: string) => Promise<void>): Promise<void> {
    const { db, supervisor } = this.#deps;
    store.setLiveRelease(db, app, release.version);
    const { failures } = await supervisor.activate(app, release);
    if (failures.length === 0) return;
    const reason = `${failures.map((f) => `${f.replica}: ${f.error}`).join('; ')}`;
    const back = previous === null ? null : this.load(app, previous);
    if (back) {
      store.setLiveRelease(db, app, back.version);
      const again = await supervisor.activate(app, back);
      if (again.failures.length > 0) this.#deps.onError?.(new Error(`v${back.version} of ${app} did not come back everywhere: ${again.failures.map((f) => `${f.replica}: ${f.error}`).join('; ')}`));
    } else {
      store.setLiveRelease(db, app, null);
      await supervisor.remove(app);
    }
    await onFailed(`could not start ${reason}`);
    throw new NightshiftError(
      ErrorCodes.deployStartFailed,
      `v${release.version} of ${app} could not start ${reason}; ${back ? `v${back.version} stays live` : 'nothing of it runs'}`,
      'fix what the error names (a missing command, an environment too large for the OS, too many open files) and deploy again',
    );
  }

  /** Keeps the live release and the newest `keepReleases` others; older folders and rows go. */
  async #prune(app: string, live: number): Promise<void> {
    const { db, keepReleases, inUse } = this.#deps;
    const others = store.listReleases(db, app).filter((r) => r.version !== live);
    for (const old of others.slice(keepReleases)) {
      if (inUse?.(app, old.version)) continue;
      await rm(old.path, { recursive: true, force: true });
      await rm(`${old.path}.build.log`, { force: true });
      store.deleteRelease(db, app, old.version);
    }
  }

  #exclusive<T>(app: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#locks.get(app) ?? Promise.resolve();
    const next = before.then(fn, fn);
    this.#locks.set(app, next.catch(() => undefined));
    return next;
  }
}
