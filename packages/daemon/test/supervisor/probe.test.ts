import * as http from 'node:http';
import * as net from 'node:net';
import { Readable } from 'node:stream';
import type { HealthSpec } from '@nightshift/manifest';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessDriver, ProcessHandle } from '../../src/drivers/index.js';
import { type DaemonEvent, EventBus } from '../../src/events/index.js';
import type { Timer, Timers } from '../../src/runtime/timers.js';
import type { ProbeResult } from '../../src/supervisor/pure/health.js';
import { checkProbe, type ProbeTarget } from '../../src/supervisor/probe/check.js';
import { ReplicaRunner } from '../../src/supervisor/replica.js';

/** Virtual time: timers of both the lifecycle and the probes fire in order as the test steps. */
class World {
  mono = 0;
  #seq = 0;
  pending: { due: number; seq: number; fn: () => void; cancelled: boolean }[] = [];
  timers: Timers = {
    after: (ms: number, fn: () => void): Timer => {
      const p = { due: this.mono + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
      this.pending.push(p);
      return { cancel: () => void (p.cancelled = true) };
    },
  };
  /** Runs every timer due up to `until`, letting promises settle after each. */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      this.pending = this.pending.filter((p) => !p.cancelled);
      this.pending.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = this.pending[0];
      if (!next || next.due > until) break;
      this.pending.shift();
      this.mono = next.due;
      next.fn();
      await flush();
    }
    this.mono = until;
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

interface Sim {
  world: World;
  runner: ReplicaRunner;
  events: DaemonEvent[];
  signals: { at: number; signal: string }[];
  spawns: () => number;
  probes: ProbeTarget[];
}

/**
 * A replica run by the real shell (ReplicaRunner) against a fake driver: its process ends on SIGTERM unless
 * `ignoresTerm`, always on SIGKILL. `healthy(n, t)` scripts the n-th probe's result at virtual time t.
 */
function simulate(health: HealthSpec, healthy: (n: number, t: number) => boolean, ignoresTerm = false): Sim {
  const world = new World();
  const events: DaemonEvent[] = [];
  const signals: { at: number; signal: string }[] = [];
  const probes: ProbeTarget[] = [];
  let spawns = 0;
  let alive = false;
  let exit: ((s: { code: number | null; signal: string | null }) => void) | null = null;
  const driver: ProcessDriver = {
    spawn: () => {
      spawns++;
      alive = true;
      const exited = new Promise<{ code: number | null; signal: string | null }>((r) => (exit = r));
      const handle: ProcessHandle = {
        pid: 100 + spawns,
        procStart: '1',
        stdout: Readable.from([]),
        stderr: Readable.from([]),
        exited,
      };
      return Promise.resolve(handle);
    },
    signalGroup: (_pgid, signal) => {
      signals.push({ at: world.mono, signal: String(signal) });
      if (signal === 'SIGKILL' || (signal === 'SIGTERM' && !ignoresTerm)) {
        if (alive) exit?.({ code: null, signal: String(signal) });
        alive = false;
      }
      return true;
    },
    groupAlive: () => alive,
    procStartOf: () => null,
    groupMembers: () => [],
  };
  const policy = {
    restart: { backoffMs: 1_000, maxBackoffMs: 60_000, resetAfterMs: 600_000, maxRestarts: null },
    stopGraceMs: 2_000,
  };
  let n = 0;
  const runner = new ReplicaRunner(
    { app: 'a', process: 'api', idx: 2 },
    () => ({ argv: ['x'], cwd: '/', env: {}, release: 1, policy, health: { spec: health, port: 8001 } }),
    () => policy,
    {
      driver,
      bus: new EventBus(
        (e) => events.push(e),
        (err) => {
          throw err;
        },
      ),
      clock: { now: () => world.mono, monotonic: () => world.mono },
      output: { capture: () => Promise.resolve(), lastLines: () => ['last words'] },
      persist: () => undefined,
      onError: (err) => {
        throw err;
      },
      timers: world.timers,
      probes: {
        timers: world.timers,
        check: (target): Promise<ProbeResult> => {
          probes.push(target);
          return Promise.resolve(
            healthy(++n, world.mono) ? { ok: true } : { ok: false, error: 'HTTP status 500' },
          );
        },
      },
    },
  );
  return { world, runner, events, signals, spawns: () => spawns, probes };
}

const spec = (over: Partial<HealthSpec> = {}): HealthSpec => ({
  type: 'http',
  port: 8000,
  path: '/healthz',
  intervalMs: 1_000,
  timeoutMs: 500,
  failures: 3,
  startPeriodMs: 0,
  ...over,
});

describe('probes drive restarts (simulated time)', () => {
  it('failures consecutive failed probes restart the replica: SIGTERM, then backoff, then a new process', async () => {
    // Healthy for 10 s, then 500s.
    const sim = simulate(spec(), (_n, t) => t < 10_000);
    sim.runner.start();
    await flush();
    expect(sim.runner.health).toBe('starting');
    await sim.world.runUntil(5_000);
    expect(sim.runner.health).toBe('healthy');
    await sim.world.runUntil(11_000);
    expect(sim.runner.health).toBe('unhealthy (2/3)');
    await sim.world.runUntil(12_000);
    // The third failure at 12 s: the event with the probe's error and the last lines, SIGTERM to the group.
    expect(sim.signals[0]).toEqual({ at: 12_000, signal: 'SIGTERM' });
    const unhealthy = sim.events.find((e) => e.type === 'replica:unhealthy');
    expect(unhealthy).toMatchObject({
      replica: 'api.2',
      data: { error: 'HTTP status 500', failures: 3, port: 8001, lastLines: ['last words'] },
    });
    await sim.world.runUntil(12_500);
    expect(sim.runner.state.status).toBe('backoff');
    expect(sim.runner.state.lastExit).toMatchObject({ signal: 'SIGTERM', cause: 'unhealthy' });
    expect(sim.events.find((e) => e.type === 'replica:crashed')?.data).toMatchObject({ cause: 'unhealthy' });
    // Backoff 1 s from the group's end at 12 s.
    await sim.world.runUntil(13_100);
    expect(sim.spawns()).toBe(2);
    expect(sim.runner.state.restarts).toBe(1);
    expect(sim.runner.health).toBe('starting');
    // Replica 2 is probed on port + 1, on loopback only (the target has no host to give).
    expect(sim.probes.every((p) => p.port === 8001 && p.type === 'http' && p.path === '/healthz')).toBe(true);
    sim.runner.stop();
    sim.runner.dispose();
  });

  it('a process that ignores SIGTERM gets SIGKILL after stop_grace', async () => {
    const sim = simulate(spec({ failures: 2 }), () => false, true);
    sim.runner.start();
    await flush();
    await sim.world.runUntil(2_000);
    expect(sim.signals).toEqual([{ at: 2_000, signal: 'SIGTERM' }]);
    await sim.world.runUntil(4_100);
    expect(sim.signals).toEqual([
      { at: 2_000, signal: 'SIGTERM' },
      { at: 4_000, signal: 'SIGKILL' },
    ]);
    expect(sim.runner.state.status).toBe('backoff');
    sim.runner.stop();
    sim.runner.dispose();
  });

  it('failures inside start_period do not count', async () => {
    const sim = simulate(spec({ startPeriodMs: 5_000 }), () => false);
    sim.runner.start();
    await flush();
    await sim.world.runUntil(5_500);
    expect(sim.signals).toEqual([]);
    expect(sim.runner.health).toBe('unhealthy (1/3)');
    await sim.world.runUntil(7_000);
    expect(sim.signals).toEqual([{ at: 7_000, signal: 'SIGTERM' }]);
    sim.runner.stop();
    sim.runner.dispose();
  });

  it('unhealthy restarts count in the backoff streak: 1 s, then 2 s', async () => {
    const sim = simulate(spec({ failures: 1, intervalMs: 500 }), () => false);
    const starts: number[] = [];
    sim.runner.start();
    await flush();
    for (let t = 0; t <= 8_000; t += 100) {
      const before = sim.spawns();
      await sim.world.runUntil(t);
      if (sim.spawns() > before) starts.push(t);
    }
    // Start at 0, fail at 500, back off 1 s → 1.5 s; fail at 2 s, back off 2 s → 4 s; fail at 4.5 s → 8.5 s.
    expect(starts).toEqual([1_500, 4_000]);
    sim.runner.stop();
    sim.runner.dispose();
  });
});

describe('checkProbe (real sockets on loopback)', () => {
  const servers: (http.Server | net.Server)[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });
  const listen = async (server: http.Server | net.Server): Promise<number> => {
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as net.AddressInfo).port;
  };
  const httpAnswering = (status: number) =>
    listen(http.createServer((_q, res) => res.writeHead(status).end()));

  it('HTTP: 2xx and 3xx are healthy, anything else names the status', async () => {
    for (const status of [200, 204, 302]) {
      expect(
        await checkProbe({ type: 'http', port: await httpAnswering(status), path: '/h' }, 1_000),
      ).toEqual({
        ok: true,
      });
    }
    expect(await checkProbe({ type: 'http', port: await httpAnswering(500), path: '/h' }, 1_000)).toEqual({
      ok: false,
      error: 'HTTP status 500',
    });
  });

  it('HTTP and TCP: a port nobody listens on is "connection refused"', async () => {
    const port = await listen(net.createServer());
    await new Promise((r) => servers.pop()!.close(r));
    expect(await checkProbe({ type: 'http', port, path: '/' }, 1_000)).toEqual({
      ok: false,
      error: 'connection refused',
    });
    expect(await checkProbe({ type: 'tcp', port, path: null }, 1_000)).toEqual({
      ok: false,
      error: 'connection refused',
    });
  });

  it('HTTP: an endpoint that never answers times out after `timeout`', async () => {
    const port = await listen(http.createServer(() => undefined));
    const t0 = performance.now();
    expect(await checkProbe({ type: 'http', port, path: '/' }, 300)).toEqual({
      ok: false,
      error: 'timeout after 300 ms',
    });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('TCP: a listener is healthy', async () => {
    const port = await listen(net.createServer((s) => s.destroy()));
    expect(await checkProbe({ type: 'tcp', port, path: null }, 1_000)).toEqual({ ok: true });
  });
});
