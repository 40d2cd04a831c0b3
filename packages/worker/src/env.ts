/**
 * The environment the Nightshift daemon gives a worker (see the design's environment table), parsed once at start
 * into a read-only object. Every problem is reported together, naming the variable and the value it had.
 */
import { WorkerError } from './errors.js';

/** The environment, as the SDK understands it. Unset variables are `undefined`. */
export interface WorkerEnv {
  readonly concurrency: number | undefined;
  readonly queueName: string | undefined;
  readonly redisUrl: string | undefined;
  /** `NIGHTSHIFT_REDIS_PREFIX`, e.g. `shop:` (the app's key namespace under its Redis ACL user). */
  readonly redisPrefix: string | undefined;
  readonly amqpUrl: string | undefined;
  readonly natsUrl: string | undefined;
  readonly metricsPort: number | undefined;
  readonly healthPort: number | undefined;
  readonly logLevel: string | undefined;
  /** `NIGHTSHIFT_APP/PROCESS/REPLICA/RELEASE`: the logger's service fields. */
  readonly app: string | undefined;
  readonly process: string | undefined;
  readonly replica: string | undefined;
  readonly release: string | undefined;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Parses the variables the SDK reads. Throws one `NS_WORKER_ENV_INVALID` listing every bad variable.
 *
 * @example
 * const env = parseWorkerEnv(process.env); // env.concurrency === 5 for WORKER_CONCURRENCY=5
 */
export function parseWorkerEnv(source: Readonly<Record<string, string | undefined>>): WorkerEnv {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = source[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, min: number, max: number): number | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return undefined;
    }
    return value;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !protocols.includes(parsed.protocol)) {
      problems.push(`${name} must be a ${protocols.join(' or ')}// URL, got "${redact(raw)}"`);
      return undefined;
    }
    return raw;
  };

  const logLevel = text('LOG_LEVEL')?.toLowerCase();
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const redisPrefix = text('NIGHTSHIFT_REDIS_PREFIX');
  if (redisPrefix !== undefined && /[\s*?[\]\\]/.test(redisPrefix)) {
    problems.push(`NIGHTSHIFT_REDIS_PREFIX must not contain spaces or glob characters, got "${redisPrefix}"`);
  }

  const env: WorkerEnv = {
    concurrency: integer('WORKER_CONCURRENCY', 1, 10_000),
    queueName: text('QUEUE_NAME'),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix,
    amqpUrl: url('AMQP_URL', ['amqp:', 'amqps:']),
    natsUrl: url('NATS_URL', ['nats:', 'tls:', 'ws:', 'wss:']),
    metricsPort: integer('METRICS_PORT', 0, 65_535),
    healthPort: integer('HEALTH_PORT', 0, 65_535),
    logLevel,
    app: text('NIGHTSHIFT_APP'),
    process: text('NIGHTSHIFT_PROCESS'),
    replica: text('NIGHTSHIFT_REPLICA'),
    release: text('NIGHTSHIFT_RELEASE'),
  };
  if (problems.length > 0) {
    throw new WorkerError(
      'NS_WORKER_ENV_INVALID',
      `invalid worker environment: ${problems.join('; ')}`,
      'fix the variable in the manifest (env) or with `nightshift config set`, or unset it to use the default',
    );
  }
  return Object.freeze(env);
}

/** A URL with its password replaced, safe for messages and logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}
