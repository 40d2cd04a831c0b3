/** The in-process schedule source on the real clock (a 6-field expression fires every second). */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defineWorker } from '../src/definition.js';
import type { Job } from '../src/job/types.js';
import { runWorker } from '../src/run.js';
import { schedule } from '../src/sources/schedule.js';
import { deferred, waitFor } from './helpers/wait.js';

const lines: Record<string, unknown>[] = [];
const capture = () =>
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });

describe('schedule source', () => {
  it('runs one job per slot with trigger "schedule", the slot as id and enqueuedAt', async () => {
    const jobs: Job[] = [];
    const worker = await runWorker(
      defineWorker({
        name: 'ticker',
        source: schedule('* * * * * *', { name: 'tick' }),
        handle: (job) => void jobs.push(job),
      }),
      { env: {}, handleSignals: false, logDestination: capture() },
    );
    await waitFor('two slots', () => jobs.length >= 2, 5000);
    await worker.stop();
    const [first, second] = jobs as [Job, Job];
    expect(first).toMatchObject({ queue: 'tick', trigger: 'schedule', attempt: 1 });
    expect(first.enqueuedAt!.getMilliseconds()).toBe(0);
    expect(second.enqueuedAt!.getTime() - first.enqueuedAt!.getTime()).toBeGreaterThanOrEqual(1000);
    expect(first.id).toBe(`tick@${first.enqueuedAt!.toISOString()}`);
    expect(first.data).toEqual({ scheduledAt: first.enqueuedAt!.toISOString() });
  });

  it('skips a slot while `concurrency` runs are still going, and says so', async () => {
    const gate = deferred();
    let started = 0;
    const worker = await runWorker(
      defineWorker({
        name: 'overlap',
        source: schedule('* * * * * *', { name: 'busy' }),
        handle: async () => {
          started += 1;
          await gate.promise;
        },
      }),
      { env: {}, handleSignals: false, logDestination: capture() },
    );
    await waitFor(
      'a skipped slot',
      () => lines.some((line) => line.queue === 'busy' && /skipped/.test(String(line.msg))),
      5000,
    );
    expect(started).toBe(1);
    gate.resolve();
    await worker.stop();
  });

  it('retries a failed run in process after the backoff, with the next attempt number', async () => {
    const attempts: number[] = [];
    const worker = await runWorker(
      defineWorker({
        name: 'flaky-tick',
        source: schedule('* * * * * *', { name: 'flaky' }),
        retry: { attempts: 2, backoff: { type: 'fixed', delay: 50 } },
        handle: (job) => {
          attempts.push(job.attempt);
          if (job.attempt === 1) throw new Error('first run fails');
        },
      }),
      { env: {}, handleSignals: false, logDestination: capture() },
    );
    await waitFor('the retry', () => attempts.includes(2), 5000);
    await worker.stop();
    expect(attempts.slice(0, 2)).toEqual([1, 2]);
  });
});
