import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest, type AppSpec } from '@nightshift/manifest';
import { createLocalDriver } from '../../src/drivers/index.js';
import { EventBus, type DaemonEvent } from '../../src/events/index.js';
import { createLogService, type LogService } from '../../src/logs/index.js';
import type { Clock } from '../../src/runtime/clock.js';
import { buildEnvironment, pickBase } from '../../src/process/environment.js';
import { Scheduler, type SchedulerOptions } from '../../src/scheduler/index.js';
import { ensureApp, openDb, type Db } from '../../src/store/index.js';
import type { LiveRelease } from '../../src/releases/live.js';

/** A clock a test moves by hand, or the system clock when `at` is null. */
export class TestClock implements Clock {
  #at: number | null;
  constructor(at: number | null) {
    this.#at = at;
  }
  now(): number {
    return this.#at ?? Date.now();
  }
  monotonic(): number {
    return performance.now();
  }
  set(at: number): void {
    this.#at = at;
  }
}

/**
 * Parses a manifest (5-field schedules, as the daemon gets them), then lets a test swap schedules for the
 * seconds granularity that only the library API accepts.
 */
export function specOf(app: string, cronYaml: string, seconds: Record<string, string> = {}): AppSpec {
  const parsed = parseManifest(`name: ${app}\ncron:\n${cronYaml}`, { file: 'app.yaml', now: new Date() });
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.code} ${e.message}`).join('\n'));
  return {
    ...parsed.spec,
    cron: parsed.spec.cron.map((c) => (seconds[c.name] ? { ...c, schedule: seconds[c.name]! } : c)),
  };
}

/**
 * One test's daemon pieces around a real database file, real process groups and the real log pipeline:
 * everything the scheduler touches, nothing mocked. `close` stops the scheduler and reports leaked processes.
 */
export class World {
  readonly dir: string;
  readonly app: string;
  readonly db: Db;
  readonly bus: EventBus;
  readonly logs: LogService;
  readonly events: DaemonEvent[] = [];
  readonly errors: unknown[] = [];
  readonly releaseDir: string;
  release: LiveRelease | null = null;
  readonly schedulers: Scheduler[] = [];

  constructor(prefix: string, dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'ns-cron-'));
    this.app = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
    this.db = openDb(join(this.dir, 'state.db'));
    this.bus = new EventBus(
      (e) => {
        this.events.push(e);
        return this.events.length;
      },
      (err) => this.errors.push(err),
    );
    this.logs = createLogService({ dir: join(this.dir, 'apps') });
    this.releaseDir = join(this.dir, 'release');
    mkdirSync(this.releaseDir, { recursive: true });
    ensureApp(this.db, this.app, this.releaseDir, Date.now());
  }

  deploy(spec: AppSpec, version = 1): LiveRelease {
    this.release = { version, path: this.releaseDir, spec };
    return this.release;
  }

  /** `driver`: the real local driver unless a test wraps it (to watch when spawns happen). */
  scheduler(clock: Clock, options: SchedulerOptions = {}, driver = createLocalDriver()): Scheduler {
    const base = pickBase(process.env);
    const s = new Scheduler(
      {
        db: this.db,
        bus: this.bus,
        clock,
        driver,
        output: {
          capture: (target, stream, readable) => this.logs.capture(target, stream, readable),
          lastLines: () => [],
        },
        liveRelease: () => this.release,
        environment: (release, target) =>
          buildEnvironment(
            {
              spec: release.spec,
              release: `v${release.version}`,
              region: 'local',
              base,
              configVars: {},
              secrets: {},
              redis: null,
            },
            target,
          ),
        runsDir: (app) => join(this.dir, 'apps', app, 'runs'),
        onError: (err) => this.errors.push(err),
      },
      { killGraceMs: 500, ...options },
    );
    this.schedulers.push(s);
    return s;
  }

  ofType<T extends DaemonEvent['type']>(type: T): DaemonEvent<T>[] {
    return this.events.filter((e) => e.type === type) as DaemonEvent<T>[];
  }

  /** Live processes carrying this test's app name in their environment. */
  userPids(): number[] {
    const out: number[] = [];
    for (const name of readdirSync('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid === process.pid) continue;
      try {
        if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`NIGHTSHIFT_APP=${this.app}`))
          continue;
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
        out.push(pid);
      } catch {
        // gone meanwhile, or not ours to read
      }
    }
    return out;
  }

  /** Distinct runs (NIGHTSHIFT_RUN_ID) among this test's live processes. */
  liveRuns(): string[] {
    const ids = new Set<string>();
    for (const pid of this.userPids()) {
      try {
        const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .find((e) => e.startsWith('NIGHTSHIFT_RUN_ID='));
        if (entry) ids.add(entry.slice('NIGHTSHIFT_RUN_ID='.length));
      } catch {
        // gone meanwhile
      }
    }
    return [...ids];
  }

  /** Shuts every scheduler down, closes logs and database, removes the folder; returns leaked pids (killed). */
  async close(): Promise<number[]> {
    for (const s of this.schedulers) await s.shutdown();
    await this.logs.close();
    const leaked = this.userPids();
    for (const pid of leaked) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
    return leaked;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await sleep(25);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}
