/** Root container and job scopes: lifetimes, disposal, strict-mode leak detection (no queue needed). */
import { asFunction, asValue } from 'awilix';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineWorker } from '../src/definition.js';
import { isWorkerError } from '../src/errors.js';
import { schedule } from '../src/sources/schedule.js';
import { runTestJob, startTestJob } from '../src/testing.js';
import { runWorker } from '../src/run.js';

const source = schedule('0 0 1 1 *');

describe('job scope', () => {
  it('creates a job service once per job, however often it is resolved, and disposes it after the job', async () => {
    const events: string[] = [];
    let created = 0;
    const worker = defineWorker({
      name: 'scoped',
      source,
      jobServices: {
        tx: () => {
          created += 1;
          const id = created;
          events.push(`create tx${id}`);
          return { id, close: () => void events.push(`close tx${id}`) };
        },
        repo: ({ tx }) => ({ tx: tx as { id: number } }),
      },
      handle: (_job, { resolve }) => {
        const first = resolve('tx');
        const second = resolve('tx');
        events.push(`handler sees tx${first.id}`);
        return { same: first === second && resolve('repo').tx === first };
      },
    });
    const one = await runTestJob(worker, { data: {} });
    const two = await runTestJob(worker, { data: {} });
    expect(one.value).toEqual({ same: true });
    expect(two.value).toEqual({ same: true });
    expect(events).toEqual([
      'create tx1',
      'handler sees tx1',
      'close tx1',
      'create tx2',
      'handler sees tx2',
      'close tx2',
    ]);
  });

  it('disposes job services when the handler throws, newest first, before the job settles', async () => {
    const events: string[] = [];
    const worker = defineWorker({
      name: 'throws',
      source,
      jobServices: {
        pool: () => ({ [Symbol.asyncDispose]: () => Promise.resolve(void events.push('dispose pool')) }),
        repo: ({ pool }) => ({ pool, dispose: () => void events.push('dispose repo') }),
      },
      handle: (_job, { resolve }) => {
        resolve('repo');
        throw new Error('boom');
      },
    });
    const result = await runTestJob(worker, { data: {} });
    expect(result.outcome).toBe('retried');
    expect((result.error as Error).message).toBe('boom');
    expect(events).toEqual(['dispose repo', 'dispose pool']);
  });

  it('creates root services once, at start, and disposes them after the job scope, in reverse order', async () => {
    const events: string[] = [];
    const worker = defineWorker({
      name: 'root',
      source,
      services: {
        db: () => {
          events.push('create db');
          return { close: () => void events.push('close db') };
        },
        cache: ({ db }) => {
          events.push('create cache');
          return { db, close: () => void events.push('close cache') };
        },
      },
      jobServices: { unit: () => ({ close: () => void events.push('close unit') }) },
      handle: (_job, { resolve }) => {
        events.push('handle');
        resolve('unit');
        expect(resolve('db')).toBe(resolve('cache').db);
      },
    });
    await runTestJob(worker, { data: {} });
    expect(events).toEqual(['create db', 'create cache', 'handle', 'close unit', 'close cache', 'close db']);
  });

  it('keeps disposing the others when one disposer fails, and logs the failure with its code', async () => {
    const events: string[] = [];
    const worker = defineWorker({
      name: 'bad-disposer',
      source,
      jobServices: {
        first: () => ({ close: () => void events.push('close first') }),
        second: () => ({
          close: () => {
            throw new Error('cannot close');
          },
        }),
      },
      handle: (_job, { resolve }) => {
        resolve('first');
        resolve('second');
      },
    });
    const result = await runTestJob(worker, { data: {} });
    expect(result.outcome).toBe('completed');
    expect(events).toEqual(['close first']);
    expect(
      result.logs.some((line) => line.code === 'NS_WORKER_DISPOSE_FAILED' && /second/.test(line.msg)),
    ).toBe(true);
  });

  it('accepts awilix resolvers, respecting their lifetime and disposer', async () => {
    const events: string[] = [];
    let made = 0;
    const worker = defineWorker({
      name: 'awilix',
      source,
      services: { answer: asValue(42) },
      jobServices: {
        counter: asFunction(() => ++made)
          .scoped()
          .disposer((value) => void events.push(`dispose ${value}`)),
      },
      handle: (_job, { resolve }) => [resolve('answer'), resolve('counter'), resolve('counter')],
    });
    expect((await runTestJob(worker, { data: {} })).value).toEqual([42, 1, 1]);
    expect(events).toEqual(['dispose 1']);
  });

  it('registers the job context, bound logger and signal in the job scope for job services', async () => {
    const worker = defineWorker({
      name: 'context',
      source,
      context: (job: { data: { workspaceId: string } }) => ({ workspaceId: job.data.workspaceId }),
      jobServices: {
        audit: ({ ctx, log, signal }) => ({ ctx, log, signal }),
      },
      handle: (_job, { resolve, ctx, log, signal }) => {
        const audit = resolve('audit');
        log.info('hello');
        return {
          sameCtx: audit.ctx === ctx,
          sameSignal: audit.signal === signal,
          sameLog: audit.log === log,
        };
      },
    });
    const result = await runTestJob(worker, {
      data: { workspaceId: 'ws_1' },
      id: 'job-7',
      queue: 'mail',
      attempt: 2,
    });
    expect(result.value).toEqual({ sameCtx: true, sameSignal: true, sameLog: true });
    expect(result.ctx).toMatchObject({
      jobId: 'job-7',
      queue: 'mail',
      attempt: 2,
      trigger: 'manual',
      workspaceId: 'ws_1',
      maxAttempts: 3,
    });
    const hello = result.logs.find((line) => line.msg === 'hello');
    expect(hello).toMatchObject({
      jobId: 'job-7',
      queue: 'mail',
      attempt: 2,
      trigger: 'manual',
      workspaceId: 'ws_1',
      service: 'context',
    });
  });
});

describe('strict mode', () => {
  it('fails at start when a root service depends on a job service', async () => {
    const worker = defineWorker({
      name: 'leaky',
      source,
      services: { cache: ({ session }) => ({ session }) },
      jobServices: { session: () => ({}) },
      handle: () => undefined,
    });
    const error: unknown = await runWorker(worker, {
      env: {},
      handleSignals: false,
      logDestination: devNull(),
    }).catch((e: unknown) => e);
    expect(isWorkerError(error, 'NS_WORKER_SCOPE_LEAK')).toBe(true);
    expect((error as Error).message).toContain('"cache" depends on job-scoped "session"');
  });

  it('fails at start when a root service depends on the job context', async () => {
    const worker = defineWorker({
      name: 'leaky-ctx',
      source,
      services: { tenant: ({ ctx }) => ctx as unknown },
      handle: () => undefined,
    });
    const error = await runTestJob(worker, { data: {} }).catch((e: unknown) => e);
    expect(isWorkerError(error, 'NS_WORKER_SCOPE_LEAK')).toBe(true);
  });

  it('names a missing dependency and the path to it', async () => {
    const worker = defineWorker({
      name: 'missing',
      source,
      services: { a: ({ b }) => b as unknown },
      handle: () => undefined,
    });
    const error = await runTestJob(worker, { data: {} }).catch((e: unknown) => e);
    expect(isWorkerError(error, 'NS_WORKER_SERVICE_UNKNOWN')).toBe(true);
    expect((error as Error).message).toMatch(/needs "b".*a -> b/);
  });

  it('refuses factories that return a promise', async () => {
    const worker = defineWorker({
      name: 'async',
      source,
      services: { db: () => Promise.resolve({}) },
      handle: () => undefined,
    });
    const error = await runTestJob(worker, { data: {} }).catch((e: unknown) => e);
    expect(isWorkerError(error, 'NS_WORKER_ASYNC_FACTORY')).toBe(true);
  });

  it('reports a root factory that throws as a start error with the cause', async () => {
    const cause = new Error('ECONNREFUSED');
    const worker = defineWorker({
      name: 'broken',
      source,
      services: {
        db: () => {
          throw cause;
        },
      },
      handle: () => undefined,
    });
    const error = await runTestJob(worker, { data: {} }).catch((e: unknown) => e);
    expect(isWorkerError(error, 'NS_WORKER_SERVICE_FAILED')).toBe(true);
    expect((error as Error).cause).toBe(cause);
  });

  it('maps resolving an unknown name in a handler to NS_WORKER_SERVICE_UNKNOWN', async () => {
    const worker = defineWorker({
      name: 'typo',
      source,
      handle: (_job, { resolve }) => resolve('mailr' as never),
    });
    const result = await runTestJob(worker, { data: {} });
    expect(isWorkerError(result.error, 'NS_WORKER_SERVICE_UNKNOWN')).toBe(true);
  });
});

describe('signals', () => {
  it('releases a job aborted by shutdown: retried at once, whatever the attempt', async () => {
    const worker = defineWorker({
      name: 'abortable',
      source,
      handle: (_job, { signal }) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
        ),
    });
    const run = startTestJob(worker, { data: {}, attempt: 3 });
    run.abort();
    const result = await run.done;
    expect(result.outcome).toBe('retried');
    expect(result.retryDelayMs).toBe(0);
    expect(isWorkerError(result.error, 'NS_WORKER_SHUTDOWN')).toBe(true);
  });

  it('releases a job that fails after the shutdown grace even if it never read its signal', async () => {
    const worker = defineWorker({
      name: 'unaware',
      source,
      handle: () => new Promise((_, reject) => setTimeout(() => reject(new Error('late failure')), 20)),
    });
    const run = startTestJob(worker, { data: {}, attempt: 3 });
    run.abort();
    expect(await run.done).toMatchObject({ outcome: 'retried', retryDelayMs: 0 });
  });

  it('hands out a signal that is already aborted when the job was aborted before reading it', async () => {
    const gate = Promise.withResolvers<void>();
    const worker = defineWorker({
      name: 'late-reader',
      source,
      handle: async (_job, tools) => {
        await gate.promise;
        return { aborted: tools.signal.aborted, sameAsCtx: tools.signal === tools.ctx.signal };
      },
    });
    const run = startTestJob(worker, { data: {} });
    run.abort('custom reason');
    gate.resolve();
    expect((await run.done).value).toEqual({ aborted: true, sameAsCtx: true });
  });

  it('fires the signal on timeout and counts the attempt as failed', async () => {
    const worker = defineWorker({
      name: 'slow',
      source,
      timeout: 30,
      retry: { attempts: 2, backoff: { type: 'fixed', delay: 5000 } },
      handle: (_job, { signal }) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
        ),
    });
    const result = await runTestJob(worker, { data: {} });
    expect(isWorkerError(result.error, 'NS_WORKER_JOB_TIMEOUT')).toBe(true);
    expect(result).toMatchObject({ outcome: 'retried', retryDelayMs: 5000 });
    const last = await runTestJob(worker, { data: {}, attempt: 2 });
    expect(last.outcome).toBe('failed');
    expect(last.metrics.failed).toBe(1);
  });
});

function devNull() {
  return { write: () => true };
}

describe('types', () => {
  it('infers what resolve returns from the factories, and refuses unknown names', async () => {
    interface Mailer {
      send(to: string): Promise<string>;
    }
    const worker = defineWorker({
      name: 'typed',
      source,
      services: { mailer: (): Mailer => ({ send: (to) => Promise.resolve(`sent to ${to}`) }) },
      jobServices: { audit: ({ ctx, mailer }) => ({ jobId: ctx.jobId, mailer: mailer as Mailer }) },
      handle: async (job: { data: { to: string } }, { resolve }) => {
        expectTypeOf(resolve('mailer')).toEqualTypeOf<Mailer>();
        expectTypeOf(resolve('audit').jobId).toEqualTypeOf<string>();
        expectTypeOf(resolve('ctx').attempt).toEqualTypeOf<number>();
        // @ts-expect-error -- not registered
        expect(() => resolve('mailr')).toThrow();
        return resolve('mailer').send(job.data.to);
      },
    });
    expect((await runTestJob(worker, { data: { to: 'a@example.com' } })).value).toBe('sent to a@example.com');
  });
});
