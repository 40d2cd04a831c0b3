import type { AppSpec, CommandSpec, CronSpec, WebSpec, WorkerSpec } from '@nightshift/manifest';

/** AppSpec builders for tests that need a shape parseManifest cannot produce (or to stay independent of it). */

export function cmd(source: string): CommandSpec {
  const shell = /[|&;$<>`]/.test(source);
  return { argv: shell ? ['/bin/sh', '-c', source] : source.split(/\s+/), shell, source };
}

const RESTART = { backoffMs: 10_000, maxBackoffMs: 300_000, resetAfterMs: 600_000, maxRestarts: null };

export function worker(name: string, over: Partial<WorkerSpec> = {}): WorkerSpec {
  return {
    kind: 'worker',
    name,
    command: cmd('node dist/worker.js'),
    replicas: 1,
    autoscale: null,
    resources: { cpu: 0.5, memory: 512 * 2 ** 20 },
    health: null,
    metrics: null,
    restart: RESTART,
    stopGraceMs: 30_000,
    minReadyMs: 0,
    env: {},
    regions: {},
    ...over,
  };
}

export function web(over: Partial<WebSpec> = {}): WebSpec {
  return {
    kind: 'web',
    name: 'web',
    port: 5000,
    command: cmd('node dist/server.js'),
    replicas: 2,
    autoscale: null,
    resources: { cpu: 0.25, memory: 256 * 2 ** 20 },
    health: {
      type: 'http',
      port: 5000,
      path: '/healthz',
      intervalMs: 10_000,
      timeoutMs: 2_000,
      failures: 3,
      startPeriodMs: 0,
    },
    metrics: null,
    restart: RESTART,
    stopGraceMs: 30_000,
    minReadyMs: 0,
    env: {},
    regions: {},
    ...over,
  };
}

export function cron(name: string, schedule: string, over: Partial<CronSpec> = {}): CronSpec {
  return {
    name,
    schedule,
    command: cmd(`node dist/${name}.js`),
    timeoutMs: 3_600_000,
    overlap: 'forbid',
    history: { keep: 3, days: 7 },
    region: null,
    resources: { cpu: null, memory: null },
    env: {},
    ...over,
  };
}

export function app(over: Partial<AppSpec> = {}): AppSpec {
  return {
    name: 'shop',
    build: null,
    predeploy: null,
    deploy: { watchMs: 120_000, guardCron: false },
    env: {},
    secrets: [],
    redis: false,
    regions: [],
    web: null,
    workers: [],
    cron: [],
    logs: { retainBytes: null, maxAgeMs: null },
    ...over,
  };
}
