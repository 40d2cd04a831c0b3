import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AppSpec } from '@nightshift/manifest';
import { ErrorCodes, NightshiftError, type DeployResponse } from '@nightshift/protocol';
import { runBuild, runStep } from '../releases/build.js';
import type { LiveRelease } from '../releases/live.js';
import { loadManifest, MANIFEST_PATH } from '../releases/load-manifest.js';
import { pruneReleases } from '../releases/prune.js';
import { runtimeEnvOf } from '../releases/runtime-env.js';
import { stageSource } from '../releases/stage.js';
import * as store from '../store/index.js';
import type { AppsDeps } from './deps.js';
import type { DeployGuard } from './guard.js';
import { switchTo } from './switch.js';

export interface DeployOptions {
  readonly dir: string;
  readonly manifest?: string | undefined;
  /** A git ref: deploy exactly that commit instead of the working folder. */
  readonly ref?: string | undefined;
  /** Receives each line of the build and predeploy output as it happens. */
  readonly onLine?: ((line: string) => void) | undefined;
}

const TAIL_LINES = 30;
/** Staging folders only need to be unique within this daemon (one per home, holding its lock). */
let stagingSeq = 0;

/**
 * Stages the code and reads its manifest (outside the app's turn: the app's name is only known after), then in
 * the app's turn builds it, runs the predeploy hook and makes it live with a rolling switch. A failed build or
 * predeploy leaves the live release and its processes untouched.
 */
export async function deploy(
  deps: AppsDeps,
  guard: DeployGuard,
  opts: DeployOptions,
): Promise<DeployResponse> {
  const staging = join(deps.appsDir, '.staging', `${Date.now().toString(36)}-${++stagingSeq}`);
  let spec: AppSpec;
  let source: string;
  try {
    source = await stageSource(opts.dir, staging, opts.ref);
    spec = await loadManifest(staging, opts.manifest ?? MANIFEST_PATH, new Date(deps.clock.now()), {
      defaultName: basename(opts.dir),
      ...(deps.compileCacheDir ? { compileCacheDir: deps.compileCacheDir } : {}),
    });
    deps.preflight(spec);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  return deps.queue.run(spec.name, () => buildAndSwitch(deps, guard, spec, staging, source, opts.onLine));
}

async function buildAndSwitch(
  deps: AppsDeps,
  guard: DeployGuard,
  spec: AppSpec,
  staging: string,
  source: string,
  onLine?: (line: string) => void,
): Promise<DeployResponse> {
  const { db, bus, clock } = deps;
  const app = spec.name;
  const releasesDir = join(deps.appsDir, app, 'releases');
  const version = store.transaction(db, () => {
    store.ensureApp(db, app, source, clock.now());
    const v = store.nextVersion(db, app);
    store.insertRelease(db, {
      app,
      version: v,
      createdAt: clock.now(),
      source,
      status: 'building',
      path: join(releasesDir, `v${v}`),
    });
    return v;
  });
  const release = `v${version}`;
  const path = join(releasesDir, release);
  const logFile = join(releasesDir, `${release}.build.log`);
  await mkdir(releasesDir, { recursive: true, mode: 0o700 });
  await rm(path, { recursive: true, force: true });
  await rename(staging, path);
  const previous = store.getApp(db, app)?.liveRelease ?? null;
  bus.emit({
    type: 'deploy:started',
    app,
    message: `deploying ${release} from ${source}`,
    data: { release, source },
  });
  const unsubscribe = onLine
    ? deps.logs.subscribe({ app, process: 'build' }, (line) => {
        if (line.source.endsWith(`:${release}`)) onLine(line.message);
      })
    : () => undefined;
  const tail = async () =>
    (await deps.logs.readRunLog(logFile).catch(() => [])).slice(-TAIL_LINES).map((l) => l.message);

  try {
    const fail = async (reason: string, hint: string): Promise<never> => {
      store.failRelease(db, app, version, 'failed build');
      const logTail = await tail();
      bus.emit({
        type: 'deploy:failed',
        app,
        message: `${release} failed: ${reason}`,
        data: { release, reason, logTail },
      });
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

    const common = { app, version, dir: path, spec, logFile, driver: deps.driver, output: deps.output };
    const built = await runBuild({ ...common, env: deps.buildEnv(spec) });
    if (!built.ok) {
      return await fail(
        `build step \`${built.failedStep}\` exited with ${built.exitCode ?? 'an error'}`,
        'fix the build and deploy again',
      );
    }
    const live: LiveRelease = { version, path, spec, runtimeEnv: runtimeEnvOf(path, deps.basePath) };
    // Before predeploy: a migration hook may already need REDIS_URL.
    if (spec.redis) await provisionOrFail(deps, app, fail);
    if (spec.predeploy) {
      const hook = await runStep({
        ...common,
        source: `predeploy:${release}`,
        argv: spec.predeploy.argv,
        label: `predeploy: ${spec.predeploy.source}`,
        env: deps.predeployEnv(live),
      });
      if (!hook.ok) {
        return await fail(
          `predeploy \`${spec.predeploy.source}\` exited with ${hook.exitCode ?? 'an error'}`,
          'fix the predeploy command; nothing was switched',
        );
      }
    }
    store.finishRelease(db, app, version, 'succeeded', JSON.stringify(spec));
    // Before the switch: a replica that crashes while the switch still runs counts against the release.
    guard.begin(app, live, previous);
    await switchTo(deps, app, live, previous, async (failed) => {
      guard.abandon(app, version);
      store.failRelease(db, app, version, 'failed to start');
      bus.emit({
        type: 'deploy:failed',
        app,
        message: `${release} failed: ${failed}`,
        data: { release, reason: failed, logTail: [] },
      });
      await rm(path, { recursive: true, force: true });
    });
    bus.emit({
      type: 'deploy:finished',
      app,
      message: `${release} is live`,
      data: { release, previous: previous === null ? null : `v${previous}` },
    });
    const window = guard.switched(app, version);
    const warnings = deps.warnings(spec);
    for (const warning of warnings)
      bus.emit({
        type: 'deploy:warning',
        app,
        message: `${release}: ${warning}`,
        data: { release, warning },
      });
    await pruneReleases(db, app, version, deps.keepReleases, (a, v) => deps.cron.releaseInUse(a, v));
    return {
      app,
      release,
      buildLogTail: await tail(),
      warnings,
      guard: window ? { watchMs: window.watchMs, until: new Date(window.until).toISOString() } : null,
    };
  } finally {
    unsubscribe();
  }
}

async function provisionOrFail(
  deps: AppsDeps,
  app: string,
  fail: (reason: string, hint: string) => Promise<never>,
): Promise<void> {
  try {
    await deps.redis.provision(app);
  } catch (err) {
    const hint = (err as { hint?: string }).hint;
    await fail(`its Redis user could not be set up: ${(err as Error).message}`, hint || 'see docs/redis.md');
  }
}
