/**
 * A real worker process (the built bin and package) gets SIGTERM while 5 jobs are in flight: all 5 finish, none
 * is lost or run twice, the root container is disposed last, and the process exits 0. Run for every adapter.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineWorker } from '../src/definition.js';
import { runWorker } from '../src/run.js';
import {
  bullmqTarget,
  jetstreamTarget,
  rabbitmqTarget,
  redisStreamTarget,
  sourceFor,
} from './conformance/targets.js';
import type { ConformanceNamespace, ConformanceTarget, JobData } from './conformance/types.js';
import { sleep, waitFor } from './helpers/wait.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'nightshift-worker.js');
const fixture = join(root, 'test', 'fixtures', 'slow-worker.mjs');

interface Spawned {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

function spawnWorker(ns: ConformanceNamespace, log: string, extra: Record<string, string> = {}): Spawned {
  let output = '';
  const child = spawn(process.execPath, [bin, fixture], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      ...ns.env,
      FIXTURE_SOURCE: ns.kind,
      FIXTURE_SOURCE_OPTIONS: JSON.stringify(ns.options),
      FIXTURE_LOG: log,
      FIXTURE_JOB_MS: '1500',
      NIGHTSHIFT_APP: 'shop',
      NIGHTSHIFT_PROCESS: 'slow',
      NIGHTSHIFT_REPLICA: 'slow.1',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => output };
}

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

describe.each([bullmqTarget, rabbitmqTarget, jetstreamTarget, redisStreamTarget])(
  'SIGTERM with 5 jobs in flight: $name',
  (target: ConformanceTarget) => {
    let ns: ConformanceNamespace;
    let dir: string;
    let spawned: Spawned | undefined;

    beforeAll(() => {
      if (!existsSync(join(root, 'dist', 'index.js')))
        throw new Error('build the package first: npx tsc -b packages/worker');
    });
    afterEach(async () => {
      if (spawned && spawned.child.exitCode === null && spawned.child.signalCode === null) {
        spawned.child.kill('SIGKILL');
        await spawned.exited;
      }
      await ns.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it('finishes all 5, loses none, runs none twice, disposes the root last and exits 0', async () => {
      ns = await target.namespace();
      dir = mkdtempSync(join(tmpdir(), 'nightshift-sigterm-'));
      const log = join(dir, 'journal.log');
      await ns.enqueue([0, 1, 2, 3, 4].map((n) => ({ n })));
      spawned = spawnWorker(ns, log);
      await waitFor(
        '5 jobs in flight',
        () => lines(log).filter((l) => l.startsWith('start')).length === 5,
        20_000,
      );
      spawned.child.kill('SIGTERM');
      const exit = await spawned.exited;
      expect(exit, spawned.output()).toEqual({ code: 0, signal: null });

      const journal = lines(log);
      expect(journal.filter((l) => l.startsWith('start')).sort()).toEqual([
        'start 0',
        'start 1',
        'start 2',
        'start 3',
        'start 4',
      ]);
      expect(journal.filter((l) => l.startsWith('done')).sort()).toEqual([
        'done 0',
        'done 1',
        'done 2',
        'done 3',
        'done 4',
      ]);
      expect(journal.at(-1)).toBe('root disposed');
      const records = spawned
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(
        records.find((r) => typeof r.msg === 'string' && r.msg.startsWith('SIGTERM received')),
      ).toMatchObject({ service: 'slow-fixture', app: 'shop', process: 'slow', replica: 'slow.1' });

      // Nothing may come back: a fresh worker sees only a marker job enqueued after the stop.
      const seen: number[] = [];
      const after = await runWorker(
        defineWorker({
          name: 'after',
          source: sourceFor(ns.kind, ns.options),
          handle: (job: { data: JobData }) => void seen.push(job.data.n),
        }),
        {
          env: ns.env,
          handleSignals: false,
          logDestination: new Writable({ write: (_c, _e, done) => done() }),
        },
      );
      await ns.enqueue([{ n: 99 }]);
      await waitFor('the marker job', () => seen.includes(99));
      await sleep(1500); // longer than the fixtures' redelivery times (lock 1 s, ack wait 1 s, claim idle 0.5 s)
      await after.stop();
      expect(seen).toEqual([99]);
      expect(await ns.deadLetters()).toEqual([]);
    });
  },
);

describe('a second signal', () => {
  let ns: ConformanceNamespace;
  let dir: string;

  it('exits at once, leaving the jobs in flight to the queue', async () => {
    ns = await bullmqTarget.namespace();
    dir = mkdtempSync(join(tmpdir(), 'nightshift-sigterm-'));
    const log = join(dir, 'journal.log');
    try {
      await ns.enqueue([{ n: 0 }]);
      const spawned = spawnWorker(ns, log, { FIXTURE_JOB_MS: '60000' });
      await waitFor('the job in flight', () => lines(log).includes('start 0'), 20_000);
      spawned.child.kill('SIGTERM');
      await waitFor('the first signal to be handled', () => spawned.output().includes('SIGTERM received'));
      spawned.child.kill('SIGTERM');
      expect(await spawned.exited).toEqual({ code: 143, signal: null });
      expect(lines(log)).toEqual(['start 0']);
    } finally {
      await ns.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
