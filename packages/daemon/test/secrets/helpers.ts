import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppSpec } from '@nightshift/manifest';
import { parseManifest } from '@nightshift/manifest';
import { afterEach } from 'vitest';
import { appEnvironments } from '../../src/apps/environment.js';
import { EventBus, type DaemonEvent } from '../../src/events/index.js';
import { createLogService, type LogService } from '../../src/logs/index.js';
import { checkEnvironments } from '../../src/releases/launchable.js';
import { openKeyring, SecretsService } from '../../src/secrets/index.js';
import * as store from '../../src/store/index.js';
import { systemClock } from '../../src/runtime/clock.js';

/** A temp directory per call, removed after the test. */
export function useTempDir(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-secrets-'));
    dirs.push(dir);
    return dir;
  };
}

/** An AppSpec from manifest text (the name is filled in). */
export function specOf(app: string, body: string): AppSpec {
  const result = parseManifest(`name: ${app}\n${body}`, { file: 'app.yaml', now: new Date() });
  if (!result.ok) throw new Error(`bad test manifest: ${JSON.stringify(result.errors)}`);
  return result.spec;
}

/** A service over a real database, a real log service and a real event bus, with a live spec set by hand. */
export interface World {
  readonly home: string;
  readonly db: store.Db;
  readonly logs: LogService;
  readonly bus: EventBus;
  readonly events: DaemonEvent[];
  readonly restarts: string[];
  readonly live: Map<string, AppSpec>;
  readonly errors: unknown[];
  secrets: SecretsService;
  /** Closes and opens the service again on the same home, as a daemon restart would. */
  reopen(envKey?: string): void;
  close(): Promise<void>;
}

export function makeWorld(home: string, envKey?: string): World {
  const keyFile = join(home, 'master.key');
  const db = store.openDb(join(home, 'state.db'));
  const logs = createLogService({
    dir: join(home, 'apps'),
    clock: () => Date.now(),
    onError: (err) => errors.push(err),
  });
  const events: DaemonEvent[] = [];
  const restarts: string[] = [];
  const errors: unknown[] = [];
  const live = new Map<string, AppSpec>();
  let id = 0;
  const bus = new EventBus(
    (e) => {
      events.push(e);
      return ++id;
    },
    (err) => errors.push(err),
  );
  // The daemon's own size check over the live spec, as main.ts wires it.
  const envs = appEnvironments({
    base: { PATH: '/usr/bin:/bin' },
    buildSettings: {},
    region: 'local',
    configVars: (app) => world.secrets.configVars(app),
    secrets: (app, names) => world.secrets.values(app, names),
    redis: () => null,
  });
  const checkEnvironment = (app: string) => {
    const spec = live.get(app);
    if (spec)
      checkEnvironments(spec, (target) => envs.environmentNow({ version: 1, path: '', spec }, target));
  };
  const build = (key: string | undefined) => {
    const ring = openKeyring(db, keyFile, key, Date.now());
    return new SecretsService({
      db,
      clock: systemClock,
      bus,
      logs,
      keyFile,
      keyring: () => ring,
      liveSpec: (app) => live.get(app) ?? null,
      restart: (app) => {
        restarts.push(app);
        return Promise.resolve();
      },
      checkEnvironment,
      onError: (err) => errors.push(err),
    });
  };
  const world: World = {
    home,
    db,
    logs,
    bus,
    events,
    restarts,
    live,
    errors,
    secrets: build(envKey),
    reopen(key) {
      world.secrets.close();
      world.secrets = build(key);
    },
    async close() {
      world.secrets.close();
      await logs.close();
      db.close();
    },
  };
  return world;
}
