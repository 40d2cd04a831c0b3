import { createRequire } from 'node:module';

import type * as PromClient from 'prom-client';
import type { RedisMetrics } from '../../redis/service.js';
import type { CronCounters } from '../../scheduler/metrics.js';
import type { ReplicaLine } from '../../supervisor/ps.js';
import type { ReplicaTarget } from '../../supervisor/targets.js';
import type { LatestUsage } from '../sampler.js';
import { type EventCounters, LATENESS_BUCKETS, SEP } from './counters.js';
import type { ScrapeResult } from './scraper.js';

const require = createRequire(import.meta.url);

/** What the daemon's own series are read from, at each scrape of `/metrics`. */
export interface SeriesSources {
  readonly events: EventCounters;
  readonly cron: () => CronCounters;
  readonly replicas: () => readonly ReplicaLine[];
  readonly desired: () => readonly { app: string; process: string; desired: number }[];
  readonly targets: () => readonly ReplicaTarget[];
  readonly usage: (app: string, process: string, idx: number) => LatestUsage | null;
  readonly logLines: () => ReadonlyMap<string, number>;
  readonly scrapes: () => readonly ScrapeResult[];
  /** The shared Redis of `redis: true` apps, read once per scrape; null while there is none. */
  readonly redis?: () => Promise<RedisMetrics | null>;
}

type Labels = Record<string, string>;
type Rows = Iterable<readonly [Labels, number]>;

/**
 * The daemon's own series in a prom-client registry, built on first use. Only the registry and the metric kinds
 * are loaded (`prom-client/lib/…`): the package's index also loads its cluster, push gateway and default-metrics
 * modules, several times the memory of these (docs/architecture.md has the numbers). Every series is filled from the
 * sources when scraped, so none is kept up to date between scrapes.
 */
export function buildRegistry(src: SeriesSources): PromClient.Registry {
  const Registry = require('prom-client/lib/registry') as typeof PromClient.Registry;
  const Gauge = require('prom-client/lib/gauge') as typeof PromClient.Gauge;
  const Counter = require('prom-client/lib/counter') as typeof PromClient.Counter;
  const { monitorEventLoopDelay } = require('node:perf_hooks') as typeof import('node:perf_hooks');
  const registry = new Registry();
  const registers = [registry];

  const gauge = (name: string, help: string, labelNames: string[], rows: () => Rows | Promise<Rows>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const filled = await rows();
        this.reset();
        for (const [labels, v] of filled) this.set(labels, v);
      },
    });
  const counter = (name: string, help: string, labelNames: string[], rows: () => Rows | Promise<Rows>) =>
    new Counter({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const filled = await rows();
        this.reset();
        for (const [labels, v] of filled) this.inc(labels, v);
      },
    });
  const fromMap = (map: ReadonlyMap<string, number>, names: readonly string[]): Rows =>
    [...map].map(
      ([key, v]) => [Object.fromEntries(key.split(SEP).map((value, i) => [names[i]!, value])), v] as const,
    );

  const byReplica = (t: { app: string; process: string; replica: string }) => ({
    app: t.app,
    process: t.process,
    replica: t.replica,
  });
  const usageRows = (pick: (u: LatestUsage) => number): Rows =>
    src.targets().flatMap((t) => {
      const u = src.usage(t.app, t.process, t.idx);
      return u ? [[byReplica(t), pick(u)] as const] : [];
    });
  const limitRows = (pick: (t: ReplicaTarget) => number | null): Rows => {
    const seen = new Map<string, readonly [Labels, number]>();
    for (const t of src.targets()) {
      const v = pick(t);
      if (v !== null) seen.set(`${t.app}${SEP}${t.process}`, [{ app: t.app, process: t.process }, v]);
    }
    return seen.values();
  };

  gauge(
    'nightshift_replicas_desired',
    'Replicas wanted per process (manifest or scale).',
    ['app', 'process'],
    () => src.desired().map((d) => [{ app: d.app, process: d.process }, d.desired] as const),
  );
  gauge('nightshift_replicas_running', 'Replicas in state running per process.', ['app', 'process'], () => {
    const counts = new Map<string, number>();
    for (const r of src.replicas()) {
      const key = `${r.app}${SEP}${r.process}`;
      counts.set(key, (counts.get(key) ?? 0) + (r.state === 'running' ? 1 : 0));
    }
    return fromMap(counts, ['app', 'process']);
  });
  counter(
    'nightshift_replica_restarts_total',
    'Restarts of each replica slot (kept across daemon restarts).',
    ['app', 'process', 'replica'],
    () => src.replicas().map((r) => [byReplica(r), r.restarts] as const),
  );
  counter(
    'nightshift_replica_crashes_total',
    'Crashes since the daemon started, by cause.',
    ['app', 'process', 'cause'],
    () => fromMap(src.events.crashes, ['app', 'process', 'cause']),
  );
  counter(
    'nightshift_replica_health_failures_total',
    'Restarts for failed health probes since the daemon started.',
    ['app', 'process', 'replica'],
    () => fromMap(src.events.healthFailures, ['app', 'process', 'replica']),
  );
  counter(
    'nightshift_replica_cpu_seconds_total',
    "CPU time of the replica's process group (user + system).",
    ['app', 'process', 'replica'],
    () => usageRows((u) => u.cpuSeconds),
  );
  gauge(
    'nightshift_replica_memory_bytes',
    "Resident memory of the replica's process group.",
    ['app', 'process', 'replica'],
    () => usageRows((u) => u.memoryBytes),
  );
  gauge(
    'nightshift_replica_processes',
    "Processes in the replica's process group.",
    ['app', 'process', 'replica'],
    () => usageRows((u) => u.processes),
  );
  gauge(
    'nightshift_replica_cpu_limit_cores',
    'resources.cpu of the process, in cores.',
    ['app', 'process'],
    () => limitRows((t) => t.resources?.cpu ?? null),
  );
  gauge('nightshift_replica_memory_limit_bytes', 'resources.memory of the process.', ['app', 'process'], () =>
    limitRows((t) => t.resources?.memory ?? null),
  );
  counter('nightshift_cron_runs_total', 'Finished cron runs by status.', ['app', 'job', 'status'], () =>
    fromMap(rekey(src.cron().runsTotal), ['app', 'job', 'status']),
  );
  counter(
    'nightshift_cron_slots_coalesced_total',
    'Missed cron slots folded into a later run.',
    ['app', 'job'],
    () => fromMap(rekey(src.cron().slotsCoalescedTotal), ['app', 'job']),
  );
  counter(
    'nightshift_cron_slots_skipped_total',
    'Cron slots not run, by reason.',
    ['app', 'job', 'reason'],
    () => fromMap(rekey(src.cron().slotsSkippedTotal), ['app', 'job', 'reason']),
  );
  registry.registerMetric(latenessMetric(src.events) as unknown as PromClient.Metric);
  counter('nightshift_log_lines_total', 'Log lines captured since the daemon started.', ['app'], () =>
    fromMap(src.logLines(), ['app']),
  );
  counter('nightshift_drain_undelivered_total', 'Log lines a drain could not deliver.', ['app'], () =>
    fromMap(src.events.drainLosses, ['app']),
  );
  counter('nightshift_deploys_total', 'Deploys since the daemon started, by result.', ['app', 'result'], () =>
    fromMap(src.events.deploys, ['app', 'result']),
  );
  if (src.redis) {
    const read = src.redis;
    // The registry collects every series at once: the first starts this scrape's read, the others await it.
    let current: Promise<RedisMetrics | null> = Promise.resolve(null);
    const one = (pick: (m: RedisMetrics) => number) => async (): Promise<Rows> => {
      const m = await current;
      return m ? [[{}, pick(m)]] : [];
    };
    gauge(
      'nightshift_redis_used_memory_bytes',
      "Memory the shared Redis uses (INFO's used_memory).",
      [],
      () => {
        current = read().catch(() => null);
        return one((m) => m.usedMemory)();
      },
    );
    gauge(
      'nightshift_redis_maxmemory_bytes',
      "The shared Redis's maxmemory (0: no limit).",
      [],
      one((m) => m.maxmemory),
    );
    counter(
      'nightshift_redis_rejected_writes_total',
      'Writes the shared Redis refused for memory since it started (noeviction at work).',
      [],
      one((m) => m.rejectedWrites),
    );
    gauge(
      'nightshift_redis_app_keys',
      "Keys under each redis app's prefix (SCAN as admin; sampled on a very large keyspace).",
      ['app'],
      async () => [...((await current)?.keys ?? [])].map(([app, keys]) => [{ app }, keys] as const),
    );
  }
  gauge('nightshift_daemon_resident_memory_bytes', "The daemon's own resident memory.", [], () => [
    [{}, process.memoryUsage.rss()],
  ]);
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  // Since the previous scrape: a lag that passed long ago says nothing about now.
  gauge(
    'nightshift_daemon_event_loop_lag_seconds',
    "Mean delay of the daemon's event loop since the last scrape.",
    [],
    () => {
      const mean = Number.isNaN(lag.mean) ? 0 : lag.mean / 1e9;
      return [[{}, mean]];
    },
  );
  gauge(
    'nightshift_daemon_event_loop_lag_max_seconds',
    'Longest event-loop delay since the last scrape.',
    [],
    () => {
      const max = lag.max / 1e9;
      lag.reset();
      return [[{}, max]];
    },
  );
  gauge(
    'nightshift_scrape_up',
    '1 when the last scrape of the replica succeeded.',
    ['app', 'process', 'replica'],
    () => src.scrapes().map((s) => [byReplica(s), s.up ? 1 : 0] as const),
  );
  gauge(
    'nightshift_scrape_duration_seconds',
    'How long the last scrape of the replica took.',
    ['app', 'process', 'replica'],
    () => src.scrapes().map((s) => [byReplica(s), s.durationSeconds] as const),
  );
  counter(
    'nightshift_scrape_failures_total',
    'Failed scrapes of the replica.',
    ['app', 'process', 'replica'],
    () => src.scrapes().map((s) => [byReplica(s), s.failures] as const),
  );
  return registry;
}

/** The scheduler's hook keys its counters `app/job/…`; app and job names never hold a `/`. */
function rekey(map: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...map].map(([k, v]) => [k.split('/').join(SEP), v]));
}

/** The fire-lateness histogram, counted by EventCounters before the registry existed; formatted by it. */
function latenessMetric(events: EventCounters) {
  const name = 'nightshift_cron_fire_lateness_seconds';
  const help = 'Time from a cron slot to its claim.';
  return {
    name,
    help,
    type: 'histogram',
    get: () => ({
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      values: [...events.lateness].flatMap(([key, h]) => {
        const [app = '', job = ''] = key.split(SEP);
        return [
          ...LATENESS_BUCKETS.map((le, i) => ({
            metricName: `${name}_bucket`,
            labels: { app, job, le },
            value: h.buckets[i]!,
          })),
          { metricName: `${name}_bucket`, labels: { app, job, le: '+Inf' }, value: h.count },
          { metricName: `${name}_sum`, labels: { app, job }, value: h.sum },
          { metricName: `${name}_count`, labels: { app, job }, value: h.count },
        ];
      }),
    }),
  };
}
