import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest } from '@nightshift/manifest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppsDeps } from '../../src/apps/deps.js';
import { DeployGuard } from '../../src/apps/guard.js';
import { AppQueue } from '../../src/apps/queue.js';
import { EventBus, type DaemonEvent, type EventMap } from '../../src/events/index.js';
import { loadRelease } from '../../src/releases/load.js';
import type { Timer, Timers } from '../../src/runtime/timers.js';
import * as store from '../../src/store/index.js';

// The guard's shell on a real database, with the clock and the window's timer in the test's hands: windows of
// minutes are decided in milliseconds. The switch it restores with is the supervisor's; here a stand-in that
// records what it was asked to run (the e2e tests run the real one).

const APP = 'shop';
const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);

class ManualTimers implements Timers {
  readonly pending: { ms: number; fn: () => void; cancelled: boolean }[] = [];
  after(ms: number, fn: () => void): Timer {
    const entry = { ms, fn, cancelled: false };
    this.pending.push(entry);
    return { cancel: () => (entry.cancelled = true) };
  }
  /** Fires every timer not cancelled, as if their time had come. */
  fireAll(): void {
    for (const t of this.pending.splice(0)) if (!t.cancelled) t.fn();
  }
}

let dir: string;
let db: store.Db;
let now: number;
let timers: ManualTimers;
let events: DaemonEvent[];
let activated: number[];
let queue: AppQueue;

function deps(): AppsDeps {
  const bus = new EventBus(
    (e) => {
      events.push(e);
      return events.length;
    },
    (err) => {
      throw err;
    },
  );
  return {
    db,
    bus,
    clock: { now: () => now, monotonic: () => now },
    queue,
    timers,
    basePath: '/usr/bin:/bin',
    preflight: () => undefined,
    supervisor: {
      activate: (_app: string, release: { version: number }) => {
        activated.push(release.version);
        return Promise.resolve({ failures: [] });
      },
    },
    onError: (err: unknown) => {
      throw err;
    },
  } as unknown as AppsDeps;
}

/** A built release `v` whose manifest watches for `watch`. */
function release(v: number, watch: string): void {
  const parsed = parseManifest(
    `name: ${APP}\ndeploy: { watch: ${watch} }\nworkers:\n  - name: emails\n    start: sleep 600\n`,
    { file: 'app.yaml', now: new Date(T0) },
  );
  if (!parsed.ok) throw new Error('bad manifest');
  const path = join(dir, `v${v}`);
  mkdirSync(path, { recursive: true });
  store.insertRelease(db, { app: APP, version: v, createdAt: T0, source: dir, status: 'building', path });
  store.finishRelease(db, APP, v, 'succeeded', JSON.stringify(parsed.spec));
}

function crash(bus: EventBus, replica: string, rel: string, cause: string | null = null): void {
  const data: EventMap['replica:crashed'] = {
    code: 1,
    signal: null,
    cause,
    ranMs: 50,
    restartInMs: 100,
    release: rel,
    lastLines: [`${replica} says goodbye`],
  };
  bus.emit({ type: 'replica:crashed', app: APP, process: 'emails', replica, message: 'crashed', data });
}

/** Waits until the app's queue has run everything given to it so far. */
const settled = () => queue.run(APP, () => Promise.resolve());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-guard-'));
  db = store.openDb(join(dir, 'state.db'));
  now = T0;
  timers = new ManualTimers();
  events = [];
  activated = [];
  queue = new AppQueue();
  store.ensureApp(db, APP, dir, T0);
  release(1, '2m');
  release(2, '2m');
  store.setLiveRelease(db, APP, 2);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('deploy guard (shell, injected clock and timers)', () => {
  it('watches from the end of the switch and keeps the release when the window passes', async () => {
    const d = deps();
    const guard = new DeployGuard(d);
    guard.begin(APP, loadRelease(db, d.basePath, APP, 2)!, 1);
    now += 5_000; // the switch took 5 s
    expect(guard.switched(APP, 2)).toEqual({ watchMs: 120_000, until: T0 + 125_000 });
    expect(timers.pending.map((t) => t.ms)).toEqual([120_000]);
    expect(store.getRelease(db, APP, 2)).toMatchObject({
      guard: 'watching',
      guardUntil: T0 + 125_000,
      guardPrevious: 1,
    });

    // Two crashes of one replica, a crash of the old release, and a probe's crash: within bounds.
    crash(d.bus, 'emails.1', 'v2');
    crash(d.bus, 'emails.1', 'v1');
    crash(d.bus, 'emails.1', 'v2', 'unhealthy');
    crash(d.bus, 'emails.1', 'v2');
    const stored = JSON.parse(store.getRelease(db, APP, 2)!.guardEvidence!) as {
      replicas: Record<string, { exits: unknown[] }>;
    };
    expect(stored.replicas['emails.1']!.exits).toHaveLength(2);

    now += 120_000;
    timers.fireAll();
    await settled();
    expect(store.getRelease(db, APP, 2)!.guard).toBe('kept');
    expect(events.filter((e) => e.type === 'deploy:kept').map((e) => e.data)).toEqual([
      { release: 'v2', watchMs: 120_000 },
    ]);
    // After the window nothing counts any more.
    for (let i = 0; i < 3; i++) crash(d.bus, 'emails.1', 'v2');
    await settled();
    expect(activated).toEqual([]);
    guard.shutdown();
  });

  it('rolls back on the third crash: the previous release is switched to, then the tripped one is failed', async () => {
    const d = deps();
    const guard = new DeployGuard(d);
    guard.begin(APP, loadRelease(db, d.basePath, APP, 2)!, 1);
    guard.switched(APP, 2);
    for (let i = 0; i < 3; i++) crash(d.bus, 'emails.2', 'v2');
    crash(d.bus, 'emails.2', 'v2'); // a fourth, before the restore ran: no second rollback
    await settled();
    expect(activated).toEqual([1]);
    expect(store.getApp(db, APP)!.liveRelease).toBe(1);
    expect(store.getRelease(db, APP, 2)).toMatchObject({
      status: 'failed',
      outcome: 'rolled back by guard',
      guard: 'rolled-back',
      guardReason: 'emails.2 crashed 3 times (exit 1, exit 1, exit 1)',
    });
    expect(events.map((e) => e.type).filter((t) => t.startsWith('deploy:') || t === 'rollback')).toEqual([
      'deploy:watching',
      'rollback',
      'deploy:rolled-back',
    ]);
    const rolled = events.find((e) => e.type === 'deploy:rolled-back')!;
    expect(rolled.data).toMatchObject({
      release: 'v2',
      restored: 'v1',
      evidence: { subject: 'emails.2', lastLines: ['emails.2 says goodbye'] },
    });
    expect(timers.pending.every((t) => t.cancelled)).toBe(true);
    guard.shutdown();
  });

  it('resumes a stored window for the time it has left, counting what was seen before', async () => {
    store.startGuard(db, APP, 2, 1, T0 + 60_000);
    store.setGuardEvidence(
      db,
      APP,
      2,
      JSON.stringify({
        replicas: {
          'emails.1': {
            exits: [
              { at: T0 - 1, code: 1, signal: null, cause: null },
              { at: T0, code: 1, signal: null, cause: null },
            ],
            probeErrors: [],
            lastLines: [],
          },
        },
        cron: [],
      }),
    );
    now = T0 + 20_000;
    const d = deps();
    const guard = new DeployGuard(d);
    guard.resume();
    expect(timers.pending.map((t) => t.ms)).toEqual([40_000]);
    crash(d.bus, 'emails.1', 'v2'); // the third, seen by this daemon
    await settled();
    expect(store.getApp(db, APP)!.liveRelease).toBe(1);
    expect(store.getRelease(db, APP, 2)!.guard).toBe('rolled-back');
    guard.shutdown();
  });

  it('decides a window that ended while no daemon ran: kept; a watch whose release is no longer live: superseded', async () => {
    store.startGuard(db, APP, 2, 1, T0 + 60_000);
    release(3, '2m');
    // v3 was being switched to when the daemon died (watched, never live): as a killed daemon leaves it.
    db.prepare("UPDATE releases SET guard = 'watching', guard_until = ? WHERE app = ? AND version = 3").run(
      T0 + 60_000,
      APP,
    );
    now = T0 + 90_000;
    const guard = new DeployGuard(deps());
    guard.resume();
    expect(store.getRelease(db, APP, 3)!.guard).toBe('superseded');
    timers.fireAll();
    await settled();
    expect(store.getRelease(db, APP, 2)!.guard).toBe('kept');
    expect(activated).toEqual([]);
    guard.shutdown();
  });

  it('watches nothing with deploy.watch 0, and that release still ends the watch it replaces', () => {
    release(3, '0');
    const d = deps();
    const guard = new DeployGuard(d);
    guard.begin(APP, loadRelease(db, d.basePath, APP, 2)!, 1);
    guard.switched(APP, 2);
    store.setLiveRelease(db, APP, 3);
    expect(guard.begin(APP, loadRelease(db, d.basePath, APP, 3)!, 2)).toBeNull();
    expect(guard.switched(APP, 3)).toBeNull();
    expect(store.getRelease(db, APP, 2)!.guard).toBe('superseded');
    expect(store.getRelease(db, APP, 3)!.guard).toBeNull();
    expect(timers.pending.every((t) => t.cancelled)).toBe(true);
    guard.shutdown();
  });
});
