import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppSpec } from '@nightshift/manifest';
import { ErrorCodes, NightshiftError, type DeployResponse } from '@nightshift/protocol';
import type { ProcessDriver } from '../drivers/index.js';
import type { EventBus } from '../events/index.js';
import type { Clock } from '../runtime/clock.js';
import type { OutputSink } from '../runtime/output.js';
import * as store from '../store/index.js';
import type { LiveRelease, Supervisor } from '../supervisor/supervisor.js';
import { runBuild } from './build.js';
import { loadManifest, MANIFEST_PATH } from './load-manifest.js';
import { snapshotFolder } from './snapshot.js';

export interface DeployDeps {
  readonly db: store.Db;
  readonly bus: EventBus;
  readonly driver: ProcessDriver;
  readonly output: OutputSink;
  readonly clock: Clock;
  readonly supervisor: Supervisor;
  /** `<home>/apps` */
  readonly appsDir: string;
  /** The environment builds run with (PATH, HOME, LANG and the manifest's env). */
  readonly buildEnv: (spec: AppSpec) => Record<string, string>;
}

const TAIL_LINES = 30;

/**
 * Releases: snapshot the folder, build it, and make it live. Deploys of one app run one at a time;
 * a failed build leaves the live release as it was.
 */
export class Releases {
  #deps: DeployDeps;
  #locks = new Map<string, Promise<unknown>>();

  constructor(deps: DeployDeps) {
    this.#deps = deps;
  }

  /** The spec and folder of a stored release, or null. */
  load(app: string, version: number): LiveRelease | null {
    const row = store.getRelease(this.#deps.db, app, version);
    if (!row?.specJson) return null;
    return { version, path: row.path, spec: JSON.parse(row.specJson) as AppSpec };
  }

  deploy(dir: string, manifestRel = MANIFEST_PATH): Promise<DeployResponse> {
    const now = new Date(this.#deps.clock.now());
    return loadManifest(dir, manifestRel, now).then((spec) =>
      this.#exclusive(spec.name, () => this.#deploy(dir, manifestRel, spec.name)),
    );
  }

  async #deploy(dir: string, manifestRel: string, app: string): Promise<DeployResponse> {
    const { db, bus, clock } = this.#deps;
    const version = store.transaction(db, () => {
      store.ensureApp(db, app, dir, clock.now());
      const v = store.nextVersion(db, app);
      store.insertRelease(db, {
        app,
        version: v,
        createdAt: clock.now(),
        source: dir,
        status: 'building',
        path: join(this.#deps.appsDir, app, 'releases', `v${v}`),
      });
      return v;
    });
    const release = `v${version}`;
    const path = join(this.#deps.appsDir, app, 'releases', release);
    const logFile = join(this.#deps.appsDir, app, 'releases', `${release}.build.log`);
    const previous = store.getApp(db, app)?.liveRelease ?? null;
    bus.emit({ type: 'deploy:started', app, message: `deploying ${release} from ${dir}`, data: { release, source: dir } });

    const fail = async (reason: string, hint: string): Promise<never> => {
      store.finishRelease(db, app, version, 'failed', null);
      const logTail = tailOf(logFile);
      bus.emit({ type: 'deploy:failed', app, message: `${release} failed: ${reason}`, data: { release, reason, logTail } });
      await rm(path, { recursive: true, force: true });
      throw new NightshiftError(
        ErrorCodes.buildFailed,
        `${release} of ${app} failed: ${reason}${previous ? `; v${previous} stays live` : ''}${
          logTail.length ? `\n--- build log (last ${logTail.length} lines) ---\n${logTail.join('\n')}` : ''
        }`,
        hint,
        { details: { logTail } },
      );
    };

    let spec: AppSpec;
    try {
      const snap = await snapshotFolder(dir, path);
      db.prepare('UPDATE releases SET source = ? WHERE app = ? AND version = ?').run(snap.source, app, version);
      spec = await loadManifest(path, manifestRel, new Date(clock.now()));
    } catch (err) {
      return fail((err as Error).message, (err as { hint?: string }).hint ?? '');
    }
    const result = await runBuild({
      app,
      version,
      dir: path,
      spec,
      env: this.#deps.buildEnv(spec),
      logFile,
      driver: this.#deps.driver,
      output: this.#deps.output,
    });
    if (!result.ok) {
      return fail(
        `build step \`${result.failedStep}\` exited with ${result.exitCode ?? 'an error'}`,
        `fix the build and deploy again; the whole log is ${logFile}`,
      );
    }
    store.finishRelease(db, app, version, 'succeeded', JSON.stringify(spec));
    store.setLiveRelease(db, app, version);
    await this.#deps.supervisor.activate(app, { version, path, spec });
    bus.emit({
      type: 'deploy:finished',
      app,
      message: `${release} is live`,
      data: { release, previous: previous === null ? null : `v${previous}` },
    });
    return { app, release, buildLogTail: tailOf(logFile) };
  }

  #exclusive<T>(app: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#locks.get(app) ?? Promise.resolve();
    const next = before.then(fn, fn);
    this.#locks.set(app, next.catch(() => undefined));
    return next;
  }
}

function tailOf(file: string): string[] {
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-TAIL_LINES);
  } catch {
    return [];
  }
}
