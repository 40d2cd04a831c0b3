import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import type * as Http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppSpec } from '@nightshift/manifest';
import { ErrorCodes, isCodedError, type DaemonInfo } from '@nightshift/protocol';
import { createApi, withAccess, withMetrics } from './api/app.js';
import { dashboardUrl } from './api/dashboard/address.js';
import { dashboardPages } from './api/dashboard/pages.js';
import { DashboardSessions } from './api/dashboard/sessions.js';
import {
  AppQueue,
  Apps,
  appEnvironments,
  cronFollowsLiveRelease,
  logRetentionFollowsLiveRelease,
} from './apps/index.js';
import { metricsListenError, tcpListenError } from './api/http/listen-error.js';
import { UsageRecorder, UsageReports } from './accounting/index.js';
import type { DaemonConfig } from './config.js';
import { createCgroupManager } from './cgroups/index.js';
import { createLocalDriver } from './drivers/index.js';
import { EventBus } from './events/index.js';
import { Coalescer } from './events/coalesce.js';
import { logEvents } from './events/daemon-log.js';
import { recordInTimeline, timelineOf } from './events/timeline.js';
import { acquireLock, ensureHome, ensureToken, kernelRandom } from './home.js';
import { checkEnvironments, checkLaunchable } from './releases/launchable.js';
import { pickBase } from './process/environment.js';
import { logOutput } from './process/log-output.js';
import { nodeHttp } from './runtime/builtins.js';
import { offsetClock, systemClock } from './runtime/clock.js';
import { startCompactor } from './runtime/compactor.js';
import { DrainManager } from './drains/manager.js';
import { createLogService } from './logs/index.js';
import {
  EventCounters,
  PrometheusEndpoint,
  cgroupCpuReader,
  procUsageReader,
  Scraper,
  UsageSampler,
  UsageViews,
} from './metrics/index.js';
import { countCronEvents } from './scheduler/metrics.js';
import * as store from './store/index.js';
import { reapPrevious } from './supervisor/reap.js';
import { recoverRuns, Scheduler } from './scheduler/index.js';
import { REDIS_PASSWORD_SECRET, RedisService } from './redis/index.js';
import { Supervisor } from './supervisor/supervisor.js';
import {
  type Keyring,
  keyringNeededAtStart,
  MASTER_KEY_ENV,
  openKeyring,
  SecretsService,
} from './secrets/index.js';
import { version } from './version.js';
import {
  Autoscaler,
  AutoscaleBounds,
  AutoscaleWindows,
  autoscalerForgetsDestroyedApps,
  boundsFollowLiveRelease,
  readQueueDepth,
} from './autoscale/index.js';
import { QueueOps } from './queues/index.js';
import { systemTimers } from './runtime/timers.js';
import { join } from 'node:path';

export interface RunningDaemon {
  readonly info: DaemonInfo;
  /** Stops every replica gracefully, closes the API and releases the home. */
  stop(): Promise<void>;
  /** Settles when the daemon has stopped. */
  readonly stopped: Promise<void>;
}

/** The composition root: the only place that builds services and wires them together. */
export async function startDaemon(config: DaemonConfig, log: (line: string) => void): Promise<RunningDaemon> {
  const paths = ensureHome(config.home);
  const lock = await acquireLock(paths);
  const db = store.openDb(paths.db);
  chmodSync(paths.db, 0o600);
  store.failUnfinishedBuilds(db);
  const token = ensureToken(paths);
  const clock = config.clockOffsetMs ? offsetClock(config.clockOffsetMs) : systemClock;
  const onError = (err: unknown) => log(`error: ${(err as Error)?.stack ?? String(err)}`);
  const openRing = () => openKeyring(db, paths.masterKey, process.env[MASTER_KEY_ENV], clock.now());
  let keyring: Keyring | null = null;
  try {
    if (keyringNeededAtStart(db, paths.masterKey, process.env[MASTER_KEY_ENV])) keyring = openRing();
  } catch (err) {
    // Refusing to start (unsafe, wrong or missing master key): leave the home as it was.
    db.close();
    lock.release();
    throw err;
  }

  const bus = new EventBus(recordInTimeline(db, new Coalescer(), clock), onError);
  logEvents(bus, log);

  const driver = createLocalDriver();
  const cgroups = createCgroupManager({ home: paths.home, enabled: config.cgroups, onError });
  if (cgroups.mode === 'none') log(`resource limits are soft: ${cgroups.reason ?? 'no cgroups'}`);
  const logs = createLogService({ dir: paths.apps, clock: () => clock.now(), onError, ...config.logs });
  const output = logOutput(logs);
  const queue = new AppQueue();
  const secrets: SecretsService = new SecretsService({
    db,
    clock,
    bus,
    logs,
    keyFile: paths.masterKey,
    keyring: () => (keyring ??= openRing()),
    liveSpec: (app): AppSpec | null => supervisor.liveRelease(app)?.spec ?? null,
    restart: (app) => apps.restartAll(app),
    checkEnvironment: (app) => {
      const live = supervisor.liveRelease(app);
      if (!live) return;
      try {
        checkEnvironments(live.spec, (target) => envs.environmentNow(live, target));
      } catch (err) {
        // Only the size is this check's to refuse; anything else (a secret that no longer decrypts) is
        // reported by the restart, as before.
        if (isCodedError(err) && err.code === ErrorCodes.envTooLarge) throw err;
      }
    },
    onError,
  });
  const redis = new RedisService({
    config: config.redis,
    dir: paths.redis,
    path: process.env.PATH,
    bus,
    clock,
    passwords: {
      get: (app) => secrets.platformValue(app, REDIS_PASSWORD_SECRET),
      set: (app, password) => secrets.setPlatformValue(app, REDIS_PASSWORD_SECRET, password),
    },
    redisApps: () =>
      apps
        .list()
        .map((entry) => entry.name)
        .filter((app) => supervisor.liveRelease(app)?.spec.redis === true),
    onError,
  });
  const base = pickBase(process.env);
  const envs = appEnvironments({
    base,
    region: config.region,
    configVars: (app) => secrets.configVars(app),
    secrets: (app, names) => secrets.values(app, names),
    redis: (app) => redis.environment(app),
    buildSettings: config.buildEnv,
  });
  const { environment } = envs;
  const supervisor = new Supervisor({
    db,
    bus,
    driver,
    output,
    clock,
    environment,
    onError,
    limits: config.replicaLimits,
    cgroups,
  });
  const scheduler = new Scheduler({
    cgroups,
    db,
    bus,
    clock,
    driver,
    output,
    environment,
    onError,
    liveRelease: (app) => supervisor.liveRelease(app),
    runsDir: (app) => join(paths.apps, app, 'runs'),
  });
  logRetentionFollowsLiveRelease(
    bus,
    (app) => supervisor.liveRelease(app),
    (app, own) => logs.setRetention(app, own),
  );
  cronFollowsLiveRelease(
    bus,
    (app) => supervisor.liveRelease(app),
    (app, live) => scheduler.activate(app, live),
  );
  const drains = new DrainManager({ db, bus, logs, clock });
  const autoscaleBounds = new AutoscaleBounds(db);
  const apps: Apps = new Apps({
    db,
    bus,
    clock,
    driver,
    output,
    supervisor,
    queue,
    logs,
    cron: scheduler,
    drains,
    secrets,
    redis,
    appsDir: paths.apps,
    compileCacheDir: paths.cache,
    basePath: base.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    buildEnv: envs.build,
    predeployEnv: envs.predeploy,
    preflight: (spec) => {
      redis.preflight(spec);
      secrets.preflight(spec);
      checkLaunchable(spec, {
        db,
        limits: config.replicaLimits,
        environment: (candidate, target) =>
          envs.environmentNow({ version: 0, path: '', spec: candidate }, target),
        desiredElsewhere: (app) => supervisor.desiredElsewhere(app),
      });
    },
    onError,
    warnings: () => [],
    keepReleases: 5,
    limits: config.replicaLimits,
    autoscaleBounds,
  });

  try {
    // With an admin URL: connect now, so that --require-noeviction refuses an evicting Redis before anything runs.
    await redis.start();
  } catch (err) {
    db.close();
    lock.release();
    throw err;
  }
  const sampler = new UsageSampler({
    db,
    clock,
    reader: cgroupCpuReader(procUsageReader(), () => supervisor.cgroupsByPid()),
    targets: () => supervisor.targets(),
    onError,
  });
  const usage = new UsageViews({ db, clock, sampler });
  const queueSources = {
    adminCall: (...args: (string | number)[]) => redis.adminCall(...args),
    redisApp: (app: string) => supervisor.liveRelease(app)?.spec.redis === true,
    env: (app: string) => {
      const live = supervisor.liveRelease(app);
      return live ? envs.oneOff(live, null) : null;
    },
    timeoutMs: 3_000,
  };
  const autoscaler = new Autoscaler({
    clock,
    timers: systemTimers,
    bus,
    periodMs: config.autoscalePeriodMs,
    bounds: autoscaleBounds,
    windows: new AutoscaleWindows(db, clock),
    apps: () =>
      apps
        .list()
        .map((a) => a.name)
        .filter((a) => supervisor.hasApp(a)),
    processSpecs: (app) => (supervisor.hasApp(app) ? supervisor.processSpecs(app) : []),
    formation: (app, process) => {
      const p = supervisor.summary(app).find((s) => s.process === process);
      return { desired: p?.desired ?? 0, stopped: p?.stopped ?? false };
    },
    replicas: (app) =>
      usage.withUsage(supervisor.ps(app)).map((r) => ({
        process: r.process,
        state: r.state,
        usage: r.memoryBytes === null ? null : { cpuPercent: r.cpuPercent, memoryBytes: r.memoryBytes },
      })),
    queueDepth: (app, queue) => readQueueDepth(queueSources, app, queue, clock.now()),
    apply: async (app, process, decision, bounds) => {
      await apps.autoscale(app, process, decision, bounds);
    },
    onError,
  });
  autoscalerForgetsDestroyedApps(bus, autoscaler);
  boundsFollowLiveRelease(bus, autoscaleBounds, (app) => supervisor.liveRelease(app));
  const scraper = new Scraper({ clock, targets: () => supervisor.targets(), onError });
  const cronCounters = countCronEvents(bus);
  const prometheus = new PrometheusEndpoint({
    events: new EventCounters(bus),
    cron: () => cronCounters.counters(),
    replicas: () => supervisor.ps(),
    desired: () =>
      apps
        .list()
        .filter((a) => supervisor.hasApp(a.name))
        .flatMap((a) => supervisor.summary(a.name).map((p) => ({ app: a.name, ...p }))),
    targets: () => supervisor.targets(),
    usage: (app, process, idx) => sampler.latest(app, process, idx),
    logLines: () => logs.capturedLines(),
    scrapes: () => scraper.results(),
    redis: () => redis.metrics(),
  });

  // Periods a killed daemon left open end at its last heartbeat, before this one records anything.
  const recorder = new UsageRecorder({
    db,
    bus,
    clock,
    region: config.region,
    heartbeatMs: config.usage.heartbeatMs,
    retentionMs: config.usage.retentionMs,
    liveSpec: (app) => supervisor.liveRelease(app)?.spec ?? null,
    onError,
  });
  const lost = recorder.recover();
  if (lost > 0) log(`usage: ${lost} periods left open by the previous daemon end at its last heartbeat`);
  recorder.start();
  const reaped = await reapPrevious(db, driver, bus, log);
  // Runs the previous incarnation left running end `interrupted` (their slots are consumed: never re-run).
  await recoverRuns(db, driver, bus, clock);
  // Their cgroups (after kill -9 nobody removed them) go once their processes are gone.
  await cgroups.sweep();

  const startedAt = new Date(clock.now()).toISOString();
  let httpPort = 0;
  let stopping: Promise<void> | null = null;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  const limits: DaemonInfo['limits'] =
    cgroups.mode === 'none'
      ? { enforcement: 'soft', cgroups: null, reason: cgroups.reason }
      : { enforcement: 'kernel', cgroups: cgroups.mode, reason: null };
  const info = (): DaemonInfo => ({
    pid: process.pid,
    version,
    home: paths.home,
    startedAt,
    httpPort,
    limits,
  });

  drains.startAll();
  const stopCompactor = startCompactor(bus, { gc: globalThis.gc, worked: () => scraper.takeWorked() });

  const sessions = new DashboardSessions({ clock, random: kernelRandom });
  const api = createApi({
    bus,
    clock,
    supervisor,
    apps,
    timeline: timelineOf(db),
    logs,
    drains,
    secrets,
    scheduler,
    usage,
    autoscaler,
    usageReports: new UsageReports({ db, clock, settings: config.usage }),
    queues: new QueueOps({
      redisApp: queueSources.redisApp,
      redisEnvironment: (app) => redis.environment(app),
      adminCall: queueSources.adminCall,
      env: queueSources.env,
      timeoutMs: queueSources.timeoutMs,
    }),
    info,
    dashboard: { sessions, token, url: () => dashboardUrl(config.httpHost, httpPort) },
    redisWarnings: () => redis.warnings(),
    oneOffEnv: envs.oneOff,
    requestStop: () => void stop(),
  });

  rmSync(paths.socket, { force: true }); // safe: we hold the lock, so no daemon owns it
  // Through require (runtime/builtins.ts): an ESM import of node:http would load undici for good.
  const { createServer } = nodeHttp();
  const served = withMetrics(api, prometheus.listener);
  const unixServer = createServer(served);
  const tcpServer = createServer(withAccess(served, { token, sessions, pages: dashboardPages() }));
  // A local Prometheus without the token (config.ts refuses any address but loopback).
  const metricsServer = config.metricsListen ? createServer(prometheus.listener) : null;
  // Set once the API listens; a daemon that fails before has restored nothing.
  let restoring: Promise<unknown> = Promise.resolve();
  try {
    // TCP first: the CLI asks the socket whether a daemon runs, so one whose port is taken must never answer there.
    await listen(tcpServer, () => tcpServer.listen(config.httpPort, config.httpHost)).catch(
      (err: unknown) => {
        throw tcpListenError(err, config.httpHost, config.httpPort);
      },
    );
    await listen(unixServer, () => unixServer.listen(paths.socket));
    if (metricsServer && config.metricsListen) {
      const { host, port } = config.metricsListen;
      await listen(metricsServer, () => metricsServer.listen(port, host)).catch((err: unknown) => {
        throw metricsListenError(err, host, port);
      });
    }
  } catch (err) {
    // Nothing half-started stays behind: the lock and the socket are released (no app was restored yet).
    await stop();
    throw err;
  }
  chmodSync(paths.socket, 0o600);
  httpPort = (tcpServer.address() as AddressInfo).port;
  writeFileSync(paths.info, JSON.stringify(info(), null, 2) + '\n', { mode: 0o600 });
  bus.emit({
    type: 'daemon:started',
    app: '',
    message: `daemon ${process.pid} started (reaped ${reaped})`,
    data: { pid: process.pid, reaped },
  });

  // Apps come back after the API answers: a state that cannot start well (a huge formation, a release that
  // fails) can then always be fixed from the CLI (apps/restore.ts).
  scheduler.start();
  if (config.replicaMetrics) {
    sampler.start();
    scraper.start();
  }
  autoscaler.start();
  restoring = apps.restoreAll(() => stopping !== null);
  // After restoreAll set each live release's retention (synchronously): the first sweep must apply them.
  logs.startRetention();

  function stop(): Promise<void> {
    stopping ??= (async () => {
      log('stopping: every replica gets SIGTERM');
      bus.emit({ type: 'daemon:stopping', app: '', message: 'daemon stopping', data: {} });
      await restoring;
      // Cron runs in flight get SIGTERM like replicas (SIGKILL after 10 s) and end `interrupted`.
      sampler.stop();
      scraper.stop();
      await autoscaler.stop();
      // Before the replicas stop: the guard's open windows stay stored for the next daemon, not decided now.
      apps.shutdown();
      await Promise.all([supervisor.shutdown(), scheduler.shutdown()]);
      recorder.stop();
      await cgroups.close();
      await Promise.all([
        closeServer(unixServer),
        closeServer(tcpServer),
        ...(metricsServer ? [closeServer(metricsServer)] : []),
      ]);
      stopCompactor();
      await drains.closeAll();
      // After every replica stopped: the managed redis-server goes with the daemon (`daemon stop`).
      await redis.close();
      await logs.close();
      secrets.close();
      rmSync(paths.socket, { force: true });
      rmSync(paths.info, { force: true });
      db.close();
      lock.release();
      resolveStopped();
    })();
    return stopping;
  }

  return { info: info(), stop, stopped };
}

function listen(server: Http.Server, start: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
    start();
  });
}

function closeServer(server: Http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
