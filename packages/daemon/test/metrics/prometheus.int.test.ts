import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { withMetrics, withToken } from '../../src/api/app.js';
import { EventBus } from '../../src/events/index.js';
import { EventCounters, PrometheusEndpoint, Scraper } from '../../src/metrics/index.js';
import { systemClock } from '../../src/runtime/clock.js';
import type { CronCounters } from '../../src/scheduler/metrics.js';
import type { ReplicaTarget } from '../../src/supervisor/targets.js';
import { inject } from '../api/inject.js';

const target = (port: number): ReplicaTarget => ({
  app: 'shop',
  process: 'emails',
  idx: 1,
  replica: 'emails.1',
  pgid: 1,
  restarts: 2,
  resources: { cpu: 0.5, memory: 64 * 2 ** 20 },
  metrics: { port, path: '/metrics', intervalMs: 15_000 },
});

const noCron: CronCounters = {
  runsTotal: new Map([['shop/nightly/succeeded', 3]]),
  slotsCoalescedTotal: new Map(),
  slotsSkippedTotal: new Map(),
  lateness: [],
};

describe('Prometheus in process', () => {
  let server: Server | null = null;
  afterEach(() => server?.close());

  it('a target that accepts and never answers is marked down at its deadline; the loop keeps turning meanwhile', async () => {
    server = createServer(() => undefined);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const scraper = new Scraper({
      clock: systemClock,
      targets: () => [target(port)],
      onError: (err) => {
        throw err;
      },
      timeoutMs: 300,
      // A new target's first scrape lands at a random point of its interval: 1 ms here.
      intervalMs: 1,
    });
    let ticks = 0;
    const beat = setInterval(() => ticks++, 10);
    const t0 = performance.now();
    while (scraper.results().length === 0) {
      await scraper.tick();
      await new Promise((r) => setTimeout(r, 2));
    }
    clearInterval(beat);
    const [result] = scraper.results();
    expect(result).toMatchObject({ replica: 'emails.1', up: false, failures: 1 });
    expect(result!.error).toMatch(/timed out/);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(ticks).toBeGreaterThan(10);
  });

  it('/metrics needs the token on the TCP listener and answers the text format with the daemon series', async () => {
    let id = 0;
    const bus = new EventBus(
      () => ++id,
      (err) => {
        throw err;
      },
    );
    const events = new EventCounters(bus);
    bus.emit({
      type: 'replica:crashed',
      app: 'shop',
      process: 'emails',
      replica: 'emails.1',
      message: 'crashed',
      data: { code: 1, signal: null, cause: null, ranMs: 5, restartInMs: 100, lastLines: [] },
    });
    bus.emit({
      type: 'cron:slot:fired',
      app: 'shop',
      message: 'fired',
      data: {
        job: 'nightly',
        runId: 1,
        slot: '',
        coalesced: 2,
        coalescedCapped: false,
        lateMs: 70,
        outcome: 'started',
      },
    });
    const endpoint = new PrometheusEndpoint({
      events,
      cron: () => noCron,
      replicas: () => [],
      desired: () => [{ app: 'shop', process: 'emails', desired: 2 }],
      targets: () => [target(1)],
      usage: () => ({
        at: 0,
        mono: 0,
        pgid: 1,
        cpuPercent: 50,
        cpuSeconds: 12.5,
        memoryBytes: 1000,
        processes: 2,
      }),
      logLines: () => new Map([['shop', 42]]),
      scrapes: () => [],
    });
    const api = () => {
      throw new Error('the API is not reached for /metrics');
    };
    const request = inject(withToken(withMetrics(api, endpoint.listener), 'secret'));
    expect((await request('/metrics')).status).toBe(401);
    const res = await request('/metrics', { headers: { authorization: 'Bearer secret' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    for (const line of [
      'nightshift_replicas_desired{app="shop",process="emails"} 2',
      'nightshift_replica_crashes_total{app="shop",process="emails",cause="exit"} 1',
      'nightshift_replica_cpu_seconds_total{app="shop",process="emails",replica="emails.1"} 12.5',
      'nightshift_replica_memory_limit_bytes{app="shop",process="emails"} 67108864',
      'nightshift_cron_runs_total{app="shop",job="nightly",status="succeeded"} 3',
      'nightshift_cron_fire_lateness_seconds_bucket{app="shop",job="nightly",le="0.1"} 1',
      'nightshift_cron_fire_lateness_seconds_count{app="shop",job="nightly"} 1',
      'nightshift_log_lines_total{app="shop"} 42',
    ]) {
      expect(text).toContain(line);
    }
    events.stop();
  });
});
