/**
 * The worker's complete, read-only configuration, parsed once at start from three layers (later wins): the
 * definition, the environment the daemon provides, and the overrides passed to `runWorker` in code. Core code
 * reads only this object; no default is written anywhere else.
 */
import type { BreakerPolicy } from './circuit/breaker.js';
import { parseCircuitBreaker } from './circuit/options.js';
import type { AnyWorkerDefinition } from './definition.js';
import type { WorkerEnv } from './env.js';
import { WorkerError } from './errors.js';
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, backoffFunction, type RetryPolicy } from './retry.js';

/** Overrides in code: they beat both the definition and the environment. */
export interface ConfigOverrides {
  readonly concurrency?: number;
  /** Replaces the source's queue / stream name (like `QUEUE_NAME`). */
  readonly queue?: string;
  readonly metricsPort?: number;
  readonly healthPort?: number;
  readonly shutdownGrace?: number;
  readonly logLevel?: string;
  /** `/healthz` answers 503 when the event loop's p99 delay exceeds this (default 1000 ms). */
  readonly maxEventLoopDelay?: number;
  /** Create OpenTelemetry spans when `@opentelemetry/api` is installed (default true). */
  readonly tracing?: boolean;
}

/** The parsed configuration (registered as `config` in the root container). */
export interface WorkerConfig {
  readonly name: string;
  readonly concurrency: number;
  /** A queue name that replaces the source's own (`QUEUE_NAME` or the `queue` override), if any. */
  readonly queueOverride: string | undefined;
  readonly retry: RetryPolicy;
  /** The circuit breaker's policy, if the definition has one. */
  readonly circuitBreaker: BreakerPolicy | undefined;
  readonly timeoutMs: number | undefined;
  readonly shutdownGraceMs: number;
  readonly metricsPort: number | undefined;
  readonly healthPort: number | undefined;
  readonly maxEventLoopDelayMs: number;
  readonly logLevel: string;
  readonly tracing: boolean;
  /** The logger's service fields. */
  readonly service: {
    readonly name: string;
    readonly app: string | undefined;
    readonly process: string | undefined;
    readonly replica: string | undefined;
    readonly release: string | undefined;
  };
  readonly redis: { readonly url: string; readonly prefix: string | undefined };
  readonly amqpUrl: string;
  readonly natsUrl: string;
}

const DEFAULTS = {
  concurrency: 1,
  shutdownGraceMs: 20_000,
  maxEventLoopDelayMs: 1000,
  logLevel: 'info',
  redisUrl: 'redis://127.0.0.1:6379',
  amqpUrl: 'amqp://127.0.0.1:5672',
  natsUrl: 'nats://127.0.0.1:4222',
} as const;

/**
 * Merges definition, environment and overrides into a {@link WorkerConfig}.
 *
 * @example
 * const config = parseWorkerConfig(def, parseWorkerEnv(process.env), { concurrency: 2 });
 */
export function parseWorkerConfig(
  def: AnyWorkerDefinition,
  env: WorkerEnv,
  overrides: ConfigOverrides = {},
): WorkerConfig {
  checkOverrides(def.name, overrides);
  const config: WorkerConfig = {
    name: def.name,
    concurrency: overrides.concurrency ?? env.concurrency ?? def.concurrency ?? DEFAULTS.concurrency,
    queueOverride: overrides.queue ?? env.queueName,
    retry: {
      attempts: def.retry?.attempts ?? DEFAULT_ATTEMPTS,
      delayAfter: backoffFunction(def.retry?.backoff ?? DEFAULT_BACKOFF),
    },
    circuitBreaker: parseCircuitBreaker(def.name, def.circuitBreaker),
    timeoutMs: def.timeout,
    shutdownGraceMs: overrides.shutdownGrace ?? def.shutdownGrace ?? DEFAULTS.shutdownGraceMs,
    metricsPort: overrides.metricsPort ?? env.metricsPort,
    healthPort: overrides.healthPort ?? env.healthPort,
    maxEventLoopDelayMs: overrides.maxEventLoopDelay ?? DEFAULTS.maxEventLoopDelayMs,
    logLevel: overrides.logLevel ?? env.logLevel ?? DEFAULTS.logLevel,
    tracing: overrides.tracing ?? true,
    service: Object.freeze({
      name: def.name,
      app: env.app,
      process: env.process,
      replica: env.replica,
      release: env.release,
    }),
    redis: Object.freeze({ url: env.redisUrl ?? DEFAULTS.redisUrl, prefix: env.redisPrefix }),
    amqpUrl: env.amqpUrl ?? DEFAULTS.amqpUrl,
    natsUrl: env.natsUrl ?? DEFAULTS.natsUrl,
  };
  return Object.freeze(config);
}

/**
 * BullMQ's key prefix for an app: `NIGHTSHIFT_REDIS_PREFIX` `shop:` becomes `shop:bull`, which the app's Redis
 * ACL user (`~shop:*`) may touch; BullMQ's default `bull` would be refused on every call.
 */
export function bullPrefix(redisPrefix: string | undefined): string {
  if (redisPrefix === undefined) return 'bull';
  return `${redisPrefix.replace(/:+$/, '')}:bull`;
}

function checkOverrides(worker: string, overrides: ConfigOverrides): void {
  const whole = (key: keyof ConfigOverrides, min: number, max = Number.MAX_SAFE_INTEGER): void => {
    const value = overrides[key];
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new WorkerError(
        'NS_WORKER_DEFINITION_INVALID',
        `worker "${worker}": runWorker option "${key}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
        `pass an integer for ${key}, or leave it out`,
      );
    }
  };
  whole('concurrency', 1);
  whole('metricsPort', 0, 65_535);
  whole('healthPort', 0, 65_535);
  whole('shutdownGrace', 0);
  whole('maxEventLoopDelay', 1);
}
