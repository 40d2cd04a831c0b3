import { commandFromLine, commandFromList } from './command.js';
import { normaliseSchedule } from './cron.js';
import { DEFAULTS } from './defaults.js';
import type {
  AutoscaleInput,
  AutoscaleOverrideInput,
  CronInput,
  ManifestInput,
  ProcessInput,
  ResourcesInput,
} from './schema.js';
import { scalarText } from './source.js';
import type { ManifestPath, ManifestSource } from './source.js';
import type {
  AppSpec,
  AutoscaleSpec,
  CommandSpec,
  CronSpec,
  HealthSpec,
  ProcessSpec,
  RegionOverrideSpec,
  ResourcesSpec,
  WebSpec,
  WorkerSpec,
} from './spec.js';
import { parseCpu, parseDuration, parseMemory, parseSize } from './units.js';

// Validated input → AppSpec: units converted, every default applied (from defaults.ts only), commands split.
// Runs only on input that passed the schema and the cross-field checks, so the parsers here cannot fail.

function durationOr<T>(text: string | undefined, fallback: T): number | T {
  return text === undefined ? fallback : parseDuration(text);
}

function command(
  start: string | undefined,
  cmd: string | readonly string[] | undefined,
  args?: readonly string[],
): CommandSpec {
  if (start !== undefined) return commandFromLine(start);
  if (typeof cmd === 'string') return commandFromLine(cmd);
  return commandFromList([...(cmd ?? []), ...(args ?? [])]);
}

function resources(input: ResourcesInput | undefined): ResourcesSpec {
  return {
    cpu: input?.cpu === undefined ? null : parseCpu(input.cpu),
    memory: input?.memory === undefined ? null : parseMemory(input.memory),
  };
}

function autoscale(
  input: AutoscaleInput | AutoscaleOverrideInput,
  base: AutoscaleSpec | null,
): AutoscaleSpec {
  return {
    min: input.min ?? base?.min ?? 0,
    max: input.max ?? base?.max ?? 0,
    cpu: input.cpu ?? base?.cpu ?? null,
    memory: input.memory ?? base?.memory ?? null,
    queue: input.queue
      ? {
          kind: input.queue.kind ?? DEFAULTS.autoscale.queueKind,
          name: input.queue.name,
          target: input.queue.target,
        }
      : (base?.queue ?? null),
    scaleDownAfterMs:
      input.scale_down_after !== undefined
        ? parseDuration(input.scale_down_after)
        : (base?.scaleDownAfterMs ?? DEFAULTS.autoscale.scaleDownAfterMs),
  };
}

/** Env scalars become strings exactly as written (`1.10` stays "1.10", not "1.1"). */
function env(
  input: Readonly<Record<string, string | number | boolean>> | undefined,
  path: ManifestPath,
  source: ManifestSource,
): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(input ?? {})) {
    out[key] = typeof value === 'string' ? value : (scalarText(source, [...path, key]) ?? String(value));
  }
  return out;
}

function health(input: ProcessInput['health'], defaultPort: number | undefined): HealthSpec | null {
  if (!input) return null;
  return {
    type: input.path === undefined ? 'tcp' : 'http',
    // Workers without a port were rejected by the checks; web falls back to its own port.
    port: input.port ?? defaultPort ?? 0,
    path: input.path ?? null,
    intervalMs: durationOr(input.interval, DEFAULTS.health.intervalMs),
    timeoutMs: durationOr(input.timeout, DEFAULTS.health.timeoutMs),
    failures: input.failures ?? DEFAULTS.health.failures,
    startPeriodMs: durationOr(input.start_period, DEFAULTS.health.startPeriodMs),
  };
}

function regions(
  input: ProcessInput,
  base: ProcessSpec['autoscale'],
  baseResources: ResourcesSpec,
): Record<string, RegionOverrideSpec> {
  const out: Record<string, RegionOverrideSpec> = {};
  for (const [region, override] of Object.entries(input.regions ?? {})) {
    const own = override.resources ? resources(override.resources) : null;
    out[region] = {
      replicas: override.replicas ?? null,
      autoscale: override.autoscale ? autoscale(override.autoscale, base) : null,
      resources: own
        ? { cpu: own.cpu ?? baseResources.cpu, memory: own.memory ?? baseResources.memory }
        : null,
    };
  }
  return out;
}

function processSpec(
  input: ProcessInput,
  path: ManifestPath,
  source: ManifestSource,
  defaultHealthPort?: number,
) {
  const scaled = input.autoscale ? autoscale(input.autoscale, null) : null;
  const limits = resources(input.resources);
  return {
    command: command(input.start, input.command, input.args),
    replicas: scaled ? null : (input.replicas ?? DEFAULTS.replicas),
    autoscale: scaled,
    resources: limits,
    health: health(input.health, defaultHealthPort),
    metrics: input.metrics
      ? {
          port: input.metrics.port,
          path: input.metrics.path ?? DEFAULTS.metrics.path,
          intervalMs: durationOr(input.metrics.interval, DEFAULTS.metrics.intervalMs),
        }
      : null,
    restart: {
      backoffMs: durationOr(input.restart?.backoff, DEFAULTS.restart.backoffMs),
      maxBackoffMs: durationOr(input.restart?.max_backoff, DEFAULTS.restart.maxBackoffMs),
      resetAfterMs: durationOr(input.restart?.reset_after, DEFAULTS.restart.resetAfterMs),
      maxRestarts: input.restart?.max_restarts ?? DEFAULTS.restart.maxRestarts,
    },
    stopGraceMs: durationOr(input.stop_grace, DEFAULTS.stopGraceMs),
    minReadyMs: durationOr(input.min_ready, DEFAULTS.minReadyMs),
    env: env(input.env, [...path, 'env'], source),
    regions: regions(input, scaled, limits),
  };
}

function cronSpec(input: CronInput, index: number, source: ManifestSource): CronSpec {
  return {
    name: input.name,
    schedule: normaliseSchedule(input.schedule),
    command: command(undefined, input.command, input.args),
    timeoutMs: durationOr(input.timeout, DEFAULTS.cron.timeoutMs),
    overlap: input.overlap ?? DEFAULTS.cron.overlap,
    history: {
      keep: input.history?.keep ?? DEFAULTS.cron.history.keep,
      days: input.history?.days ?? DEFAULTS.cron.history.days,
    },
    region: input.region ?? null,
    resources: resources(input.resources),
    env: env(input.env, ['cron', index, 'env'], source),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Builds the read-only AppSpec. `fallbackName` is the one made from the folder, used when the manifest has none. */
export function compile(input: ManifestInput, source: ManifestSource, fallbackName: string): AppSpec {
  let web: WebSpec | null = null;
  if (input.web) {
    const port = input.web.port ?? DEFAULTS.web.port;
    web = { kind: 'web', name: 'web', port, ...processSpec(input.web, ['web'], source, port) };
  }
  const workers = (input.workers ?? []).map((worker, index): WorkerSpec => ({
    kind: 'worker',
    name: worker.name,
    ...processSpec(worker, ['workers', index], source),
  }));
  const spec: AppSpec = {
    name: input.name ?? fallbackName,
    build: input.build
      ? {
          install: input.build.install === undefined ? null : commandFromLine(input.build.install),
          command: input.build.command === undefined ? null : commandFromLine(input.build.command),
        }
      : null,
    predeploy: input.predeploy === undefined ? null : commandFromLine(input.predeploy),
    deploy: {
      watchMs: durationOr(input.deploy?.watch, DEFAULTS.deploy.watchMs),
      guardCron: input.deploy?.guard_cron ?? DEFAULTS.deploy.guardCron,
    },
    env: env(input.env, ['env'], source),
    secrets: [...(input.secrets ?? [])],
    redis: input.redis ?? DEFAULTS.redis,
    regions: [...(input.regions ?? [])],
    web,
    workers,
    cron: (input.cron ?? []).map((job, index) => cronSpec(job, index, source)),
    logs: {
      retainBytes: input.logs?.retain === undefined ? null : parseSize(input.logs.retain),
      maxAgeMs: input.logs?.max_age === undefined ? null : parseDuration(input.logs.max_age),
    },
  };
  return deepFreeze(spec);
}
