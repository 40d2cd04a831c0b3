import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogService, LINE_LIMIT } from '../../src/logs/index.js';
import { manualClock, pipeOf, useTempDir } from './helpers.js';

const target = { app: 'shop', process: 'emails', source: 'emails.1' };
const tempDir = useTempDir();

describe('capture', () => {
  it('stores each line once with its stamp, source and stream, and keeps a last line without newline', async () => {
    const clock = manualClock(1000);
    const logs = createLogService({ dir: tempDir(), clock: clock.now });
    await logs.capture(target, 'out', pipeOf('first\n\nthird\tcol\n', 'fourth without newline'));
    const lines = await logs.query({ app: 'shop' });
    expect(lines.map((l) => l.message)).toEqual(['first', '', 'third\tcol', 'fourth without newline']);
    expect(
      lines.every(
        (l) => l.time === 1000 && l.source === 'emails.1' && l.stream === 'out' && l.process === 'emails',
      ),
    ).toBe(true);
    expect(lines.map((l) => Number(l.id))).toEqual([1, 2, 3, 4]);
    await logs.close();
  });

  it('joins a line and a multi-byte character split across chunks', async () => {
    const logs = createLogService({ dir: tempDir() });
    const euro = Buffer.from('€', 'utf8');
    await logs.capture(
      target,
      'err',
      pipeOf(
        Buffer.from('pri'),
        Buffer.concat([Buffer.from('ce 5'), euro.subarray(0, 1)]),
        Buffer.concat([euro.subarray(1), Buffer.from('\nnext\n')]),
      ),
    );
    const lines = await logs.query({ app: 'shop' });
    expect(lines.map((l) => [l.message, l.stream])).toEqual([
      ['price 5€', 'err'],
      ['next', 'err'],
    ]);
    await logs.close();
  });

  it('replaces invalid UTF-8 instead of failing, and leaves its neighbours untouched', async () => {
    const logs = createLogService({ dir: tempDir() });
    await logs.capture(
      target,
      'out',
      pipeOf(
        Buffer.concat([Buffer.from('ok 1\nbad '), Buffer.from([0xff, 0xfe]), Buffer.from(' end\nok 2\n')]),
      ),
    );
    const lines = await logs.query({ app: 'shop' });
    expect(lines.map((l) => l.message)).toEqual(['ok 1', 'bad \uFFFD\uFFFD end', 'ok 2']);
    await logs.close();
  });

  it('splits lines over 64 KiB into continued pieces at character boundaries, and keeps a 64 KiB line whole', async () => {
    const logs = createLogService({ dir: tempDir() });
    const exact = 'e'.repeat(LINE_LIMIT);
    const long = `${'a'.repeat(LINE_LIMIT - 1)}é${'b'.repeat(LINE_LIMIT)}tail`;
    // Delivered in odd chunk sizes, as a pipe would.
    const all = Buffer.from(`${exact}\n${long}\nafter\n`);
    const chunks = [];
    for (let i = 0; i < all.length; i += 10_000) chunks.push(all.subarray(i, i + 10_000));
    await logs.capture(target, 'out', pipeOf(...chunks));
    const lines = await logs.query({ app: 'shop' });
    expect(lines[0]!.message).toBe(exact);
    expect(lines[0]!.continued).toBeUndefined();
    const pieces = lines.slice(1, -1);
    expect(pieces.length).toBe(3);
    expect(pieces.map((p) => p.continued)).toEqual([true, true, undefined]);
    expect(pieces.every((p) => Buffer.byteLength(p.message) <= LINE_LIMIT)).toBe(true);
    expect(pieces.map((p) => p.message).join('')).toBe(long);
    expect(pieces.some((p) => p.message.includes('\uFFFD'))).toBe(false);
    expect(lines.at(-1)!.message).toBe('after');
    await logs.close();
  });

  it('never lets the stamp go backwards when the clock steps back', async () => {
    const clock = manualClock(5000);
    const logs = createLogService({ dir: tempDir(), clock: clock.now });
    await logs.capture(target, 'out', pipeOf('one\n'));
    clock.set(4000);
    await logs.capture(target, 'out', pipeOf('two\n'));
    expect((await logs.query({ app: 'shop' })).map((l) => l.time)).toEqual([5000, 5000]);
    await logs.close();
  });

  it('writes the documented record format', async () => {
    const dir = tempDir();
    const logs = createLogService({ dir, clock: () => 1763923682123 });
    await logs.capture(target, 'err', pipeOf('hello\n'));
    await logs.close();
    expect(readFileSync(join(dir, 'shop', 'logs', 'emails.log'), 'utf8')).toBe(
      '#nightshift-log 1 app=shop process=emails\n1763923682123\t1\temails.1\terr\thello\n',
    );
  });

  it('paces garbage collection by the bytes read from pipes', async () => {
    let collections = 0;
    const logs = createLogService({ dir: tempDir(), collectGarbage: () => collections++ });
    const chunk = Buffer.from(`${'z'.repeat(1023)}\n`.repeat(1024));
    await logs.capture(target, 'out', pipeOf(...Array.from({ length: 20 }, () => chunk)));
    expect(collections).toBe(5);
    await logs.close();
  });

  it('rejects names that cannot be file names', async () => {
    const logs = createLogService({ dir: tempDir() });
    expect(() => logs.capture({ ...target, app: '../etc' }, 'out', pipeOf())).toThrow(
      expect.objectContaining({ code: 'NS_LOG_NAME_INVALID' }),
    );
    expect(() => createLogService({ dir: tempDir(), maxFileBytes: 10 })).toThrow(
      expect.objectContaining({ code: 'NS_LOG_OPTIONS_INVALID' }),
    );
    await logs.close();
  });
});
