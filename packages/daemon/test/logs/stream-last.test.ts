import { describe, expect, it } from 'vitest';
import { createLogService, type LogLine, type LogService } from '../../src/logs/index.js';
import { manualClock, pipeOf, useTempDir } from './helpers.js';

const tempDir = useTempDir();

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

/** Three sources over two process types, interleaved, with both streams and rotation, over 20 ms of time. */
async function fill(logs: LogService, clock: { set: (ms: number) => void }): Promise<void> {
  const targets = [
    { app: 'shop', process: 'emails', source: 'emails.1' },
    { app: 'shop', process: 'emails', source: 'emails.2' },
    { app: 'shop', process: 'web', source: 'web.1' },
  ];
  for (let round = 0; round < 20; round++) {
    clock.set(1000 + round);
    for (const [i, target] of targets.entries()) {
      const text = Array.from(
        { length: 150 + 37 * i },
        (_, n) => `${target.source} r${round} n${n} ${'y'.repeat(n % 50)}\n`,
      ).join('');
      await logs.capture(target, round % 3 === i ? 'err' : 'out', pipeOf(text));
    }
  }
}

describe('streamLast', () => {
  it('yields exactly what query returns, for every filter, window and limit, across rotated files', async () => {
    const clock = manualClock(0);
    const logs = createLogService({
      dir: tempDir(),
      clock: clock.now,
      maxFileBytes: 128 * 1024,
      maxFiles: 4,
    });
    await fill(logs, clock);
    const filters = [
      {},
      { process: 'emails' },
      { process: 'emails', source: 'emails.2' },
      { stream: 'err' as const },
      { process: 'web', stream: 'out' as const },
    ];
    const windows = [{}, { since: 1005 }, { until: 1013 }, { since: 1004, until: 1009 }, { since: 2000 }];
    for (const filter of filters) {
      for (const window of windows) {
        for (const limit of [1, 7, 500, 3000, 1_000_000]) {
          const query = { app: 'shop', ...filter, ...window, limit };
          const expected = await logs.query(query);
          const streamed = await collect(logs.streamLast(query));
          expect(
            streamed.map((l) => l.id),
            JSON.stringify(query),
          ).toEqual(expected.map((l) => l.id));
          expect(streamed).toEqual(expected);
        }
      }
    }
    expect(await collect(logs.streamLast({ app: 'nothing-here', limit: 10 }))).toEqual([]);
    await logs.close();
  });

  it('has no cap: 150,000 of 160,000 stored lines are all there, in order', async () => {
    const logs = createLogService({ dir: tempDir() });
    const total = 160_000;
    await logs.capture(
      { app: 'shop', process: 'emails', source: 'emails.1' },
      'out',
      pipeOf(Array.from({ length: total }, (_, i) => `${i}\n`).join('')),
    );
    let expected = total - 150_000;
    for await (const line of logs.streamLast({ app: 'shop', limit: 150_000 })) {
      if (line.message !== String(expected)) expect(line.message).toBe(String(expected));
      expected++;
    }
    expect(expected).toBe(total);
    await logs.close();
  });

  it('refuses a bad app name before it starts', () => {
    const logs = createLogService({ dir: tempDir() });
    expect(() => logs.streamLast({ app: '../etc', limit: 1 })).toThrow(
      expect.objectContaining({ code: 'NS_LOG_NAME_INVALID' }),
    );
  });
});
