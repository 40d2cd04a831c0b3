import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createLogService, isLogError, type LogLine } from '../../src/logs/index.js';
import { pipeOf, useTempDir } from './helpers.js';

const tempDir = useTempDir();
const replica = (n: number) => ({ app: 'shop', process: 'emails', source: `emails.${n}` });

async function take(iterator: AsyncIterator<LogLine>, n: number): Promise<string[]> {
  const out: string[] = [];
  while (out.length < n) {
    const next = await iterator.next();
    if (next.done) break;
    out.push(next.value.message);
  }
  return out;
}

describe('live lines', () => {
  it('subscribe delivers matching lines only, until unsubscribed', async () => {
    const logs = createLogService({ dir: tempDir() });
    const seen: string[] = [];
    const stop = logs.subscribe({ app: 'shop', source: 'emails.2' }, (line) =>
      seen.push(`${line.source}:${line.message}`),
    );
    await logs.capture(replica(1), 'out', pipeOf('one\n'));
    await logs.capture(replica(2), 'out', pipeOf('two\n'));
    stop();
    await logs.capture(replica(2), 'out', pipeOf('three\n'));
    expect(seen).toEqual(['emails.2:two']);
    await logs.close();
  });

  it('follow resumes after an id with stored lines, then continues live without gap or duplicate', async () => {
    const logs = createLogService({ dir: tempDir() });
    await logs.capture(replica(1), 'out', pipeOf('a\nb\nc\n'));
    const [first] = await logs.query({ app: 'shop', limit: 3 });
    const follower = logs.follow({ app: 'shop' }, { after: first!.id });
    const iterator = follower[Symbol.asyncIterator]();
    expect(await take(iterator, 2)).toEqual(['b', 'c']);
    const pipe = new PassThrough();
    const capture = logs.capture(replica(2), 'out', pipe);
    pipe.write('d\n');
    expect(await take(iterator, 1)).toEqual(['d']);
    pipe.end('e\n');
    await capture;
    expect(await take(iterator, 1)).toEqual(['e']);
    follower.close();
    expect((await iterator.next()).done).toBe(true);
    await logs.close();
  });

  it('drops a follower that falls too far behind, telling it where to resume', async () => {
    const logs = createLogService({ dir: tempDir() });
    const follower = logs.follow({ app: 'shop' }, { maxQueue: 10 });
    const iterator = follower[Symbol.asyncIterator]();
    const pipe = new PassThrough();
    const capture = logs.capture(replica(1), 'out', pipe);
    pipe.write('first\n');
    expect(await take(iterator, 1)).toEqual(['first']);
    pipe.end(Array.from({ length: 50 }, (_, i) => `flood ${i}\n`).join(''));
    await capture;
    const error = await iterator.next().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isLogError(error) && error.code, String(error)).toBe('NS_LOG_FOLLOWER_DROPPED');
    // Resuming from the last delivered id gets the rest from the files.
    const resumed = logs.follow({ app: 'shop' }, { after: follower.lastId });
    const rest = await take(resumed[Symbol.asyncIterator](), 50);
    expect(rest).toEqual(Array.from({ length: 50 }, (_, i) => `flood ${i}`));
    resumed.close();
    await logs.close();
  });
});
