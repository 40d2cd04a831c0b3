/** Environment parsing, layering of definition < environment < overrides, and definition checks. */
import { describe, expect, it } from 'vitest';
import { defineWorker } from '../src/definition.js';
import { parseWorkerEnv } from '../src/env.js';
import { isWorkerError } from '../src/errors.js';
import { bullPrefix, parseWorkerConfig } from '../src/options.js';
import { delayBucket } from '../src/sources/rabbitmq.js';
import { schedule } from '../src/sources/schedule.js';

const source = schedule('@daily');
const base = { name: 'emails', source, handle: () => undefined };

describe('parseWorkerEnv', () => {
  it('reads the variables the daemon provides', () => {
    const env = parseWorkerEnv({
      WORKER_CONCURRENCY: '5',
      QUEUE_NAME: 'email-dispatch',
      REDIS_URL: 'redis://app-shop:secret@127.0.0.1:6400',
      NIGHTSHIFT_REDIS_PREFIX: 'shop:',
      METRICS_PORT: '9464',
      HEALTH_PORT: '8081',
      NIGHTSHIFT_APP: 'shop',
      NIGHTSHIFT_PROCESS: 'emails',
      NIGHTSHIFT_REPLICA: 'emails.2',
      LOG_LEVEL: 'DEBUG',
      UNRELATED: 'ignored',
    });
    expect(env).toMatchObject({
      concurrency: 5,
      queueName: 'email-dispatch',
      redisPrefix: 'shop:',
      metricsPort: 9464,
      healthPort: 8081,
      app: 'shop',
      replica: 'emails.2',
      logLevel: 'debug',
    });
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('reports every bad variable at once, with its value, and never a password', () => {
    let error: unknown;
    try {
      parseWorkerEnv({
        WORKER_CONCURRENCY: 'five',
        METRICS_PORT: '70000',
        REDIS_URL: 'http://u:hunter2@host',
        LOG_LEVEL: 'loud',
      });
    } catch (e) {
      error = e;
    }
    expect(isWorkerError(error, 'NS_WORKER_ENV_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('WORKER_CONCURRENCY must be a whole number from 1 to 10000, got "five"');
    expect(message).toContain('METRICS_PORT');
    expect(message).toContain('REDIS_URL');
    expect(message).toContain('LOG_LEVEL');
    expect(message).not.toContain('hunter2');
  });

  it('treats empty variables as unset', () => {
    expect(parseWorkerEnv({ WORKER_CONCURRENCY: '', QUEUE_NAME: '  ' })).toMatchObject({
      concurrency: undefined,
      queueName: undefined,
    });
  });
});

describe('parseWorkerConfig', () => {
  it('layers the definition, then the environment, then overrides in code', () => {
    const def = defineWorker({ ...base, concurrency: 2, shutdownGrace: 1000 });
    expect(parseWorkerConfig(def, parseWorkerEnv({})).concurrency).toBe(2);
    expect(parseWorkerConfig(def, parseWorkerEnv({ WORKER_CONCURRENCY: '8' })).concurrency).toBe(8);
    const config = parseWorkerConfig(def, parseWorkerEnv({ WORKER_CONCURRENCY: '8', QUEUE_NAME: 'env-q' }), {
      concurrency: 3,
      queue: 'code-q',
      shutdownGrace: 0,
    });
    expect(config).toMatchObject({ concurrency: 3, queueOverride: 'code-q', shutdownGraceMs: 0 });
  });

  it('fills every default in one place', () => {
    const config = parseWorkerConfig(defineWorker(base), parseWorkerEnv({}));
    expect(config).toMatchObject({
      concurrency: 1,
      shutdownGraceMs: 20_000,
      logLevel: 'info',
      redis: { url: 'redis://127.0.0.1:6379', prefix: undefined },
      metricsPort: undefined,
    });
    expect(config.retry.attempts).toBe(3);
    expect(config.retry.delayAfter(1, undefined, 0)).toBe(1000);
  });

  it('rejects overrides that are not whole numbers', () => {
    expect(() => parseWorkerConfig(defineWorker(base), parseWorkerEnv({}), { concurrency: 0 })).toThrow(
      /concurrency/,
    );
  });

  it("derives BullMQ's prefix from the app namespace", () => {
    expect(bullPrefix('shop:')).toBe('shop:bull');
    expect(bullPrefix('shop')).toBe('shop:bull');
    expect(bullPrefix(undefined)).toBe('bull');
  });
});

describe('defineWorker', () => {
  const attempt = (options: Record<string, unknown>) => {
    try {
      defineWorker({ ...base, ...options });
      return undefined;
    } catch (error) {
      return error as Error & { code: string; hint: string };
    }
  };

  it('rejects unknown keys with a suggestion', () => {
    const error = attempt({ concurency: 4 });
    expect(error?.code).toBe('NS_WORKER_DEFINITION_INVALID');
    expect(error?.message).toBe('worker "emails": unknown key "concurency"');
    expect(error?.hint).toBe('did you mean "concurrency"?');
  });

  it('checks numbers, the source, the handler and service names', () => {
    expect(attempt({ concurrency: 1.5 })?.message).toMatch(/concurrency/);
    expect(attempt({ source: {} })?.message).toMatch(/source/);
    expect(attempt({ handle: 'x' })?.message).toMatch(/handle/);
    expect(attempt({ services: { log: () => 1 } })?.message).toMatch(/reuses a name/);
    expect(attempt({ services: { a: () => 1 }, jobServices: { a: () => 2 } })?.message).toMatch(
      /both a service and a job service/,
    );
    expect(attempt({ services: { a: 42 } })?.message).toMatch(/must be a factory/);
    expect(attempt({ retry: { attempts: 0 } })?.message).toMatch(/retry.attempts/);
    expect(attempt({ retry: { backoff: { type: 'linear', delay: 1 } } })?.message).toMatch(/retry.backoff/);
    expect(attempt({ retry: { tries: 2 } })?.message).toMatch(/retry.tries/);
    expect(
      attempt({
        concurrency: 4,
        retry: { attempts: 2, backoff: { type: 'exponential', delay: 10, jitter: 0.5 } },
      }),
    ).toBeUndefined();
  });

  it('rejects a schedule croner cannot parse', () => {
    expect(() => schedule('61 * * * *')).toThrow(/schedule\("61 \* \* \* \*"\)/);
  });
});

describe('RabbitMQ delay buckets', () => {
  it('rounds delays up to two significant digits so few delay queues exist', () => {
    expect([0, 40, 100, 123, 999, 1001, 12_345, 300_000].map(delayBucket)).toEqual([
      1, 40, 100, 130, 1000, 1100, 13_000, 300_000,
    ]);
  });
});

describe('bullmqPrefix', () => {
  it('gives producers the prefix the worker uses', async () => {
    const { bullmqPrefix } = await import('../src/sources/bullmq.js');
    expect(bullmqPrefix({ NIGHTSHIFT_REDIS_PREFIX: 'shop:' })).toBe('shop:bull');
    expect(bullmqPrefix({})).toBe('bull');
  });
});
