import { existsSync, readdirSync, statSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogService, parseFields } from '../../src/logs/index.js';
import { manualClock, pipeOf, useTempDir } from './helpers.js';

const tempDir = useTempDir();
const replica = (n: number) => ({ app: 'shop', process: 'emails', source: `emails.${n}` });

describe('query', () => {
  it('selects exactly the lines of a since/until window (since inclusive, until exclusive)', async () => {
    const clock = manualClock(0);
    const logs = createLogService({ dir: tempDir(), clock: clock.now });
    for (let t = 1000; t <= 1010; t++) {
      clock.set(t);
      await logs.capture(replica(1), 'out', pipeOf(`at ${t}\n`));
    }
    const window = await logs.query({ app: 'shop', since: 1003, until: 1007 });
    expect(window.map((l) => l.message)).toEqual(['at 1003', 'at 1004', 'at 1005', 'at 1006']);
    expect(await logs.query({ app: 'shop', since: 1011 })).toEqual([]);
    expect((await logs.query({ app: 'shop', until: 1001 })).map((l) => l.message)).toEqual(['at 1000']);
    expect((await logs.query({ app: 'shop', limit: 3 })).map((l) => l.message)).toEqual([
      'at 1008',
      'at 1009',
      'at 1010',
    ]);
    await logs.close();
  });

  it('merges replicas and processes in capture order and filters by source, process and stream', async () => {
    const clock = manualClock(0);
    const logs = createLogService({ dir: tempDir(), clock: clock.now });
    const steps: Array<
      [ReturnType<typeof replica> | { app: string; process: string; source: string }, 'out' | 'err', string]
    > = [
      [replica(1), 'out', 'a'],
      [replica(2), 'err', 'b'],
      [{ app: 'shop', process: 'web', source: 'web.1' }, 'out', 'c'],
      [replica(1), 'err', 'd'],
      [replica(2), 'out', 'e'],
    ];
    for (const [i, [target, stream, message]] of steps.entries()) {
      clock.set(2000 + i);
      await logs.capture(target, stream, pipeOf(`${message}\n`));
    }
    const text = async (q: object) =>
      (await logs.query({ app: 'shop', ...q })).map((l) => l.message).join('');
    expect(await text({})).toBe('abcde');
    expect(await text({ source: 'emails.2' })).toBe('be');
    expect(await text({ process: 'emails' })).toBe('abde');
    expect(await text({ stream: 'err' })).toBe('bd');
    expect(await text({ process: 'web' })).toBe('c');
    expect(await logs.query({ app: 'other' })).toEqual([]);
    await logs.close();
  });

  it('rotates by size, keeps at most maxFiles files, keeps the newest lines and reads across rotated files', async () => {
    const dir = tempDir();
    const maxFileBytes = 128 * 1024;
    const logs = createLogService({ dir, maxFileBytes, maxFiles: 3 });
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}\n`);
    await logs.capture(replica(1), 'out', pipeOf(lines.join('')));
    const files = readdirSync(join(dir, 'shop', 'logs')).filter((f) => /\.log(\.gz)?$/.test(f));
    expect(files.length).toBe(3);
    const total = files.reduce((sum, f) => sum + statSync(join(dir, 'shop', 'logs', f)).size, 0);
    expect(total).toBeLessThanOrEqual(3 * maxFileBytes);
    const kept = await logs.query({ app: 'shop', limit: 1_000_000 });
    expect(kept.at(-1)!.message).toBe(lines.at(-1)!.trim());
    // Kept lines are a contiguous run ending at the newest line, spanning the rotated files.
    const first = Number(kept[0]!.message.split(' ')[1]);
    expect(kept.map((l) => Number(l.message.split(' ')[1]))).toEqual(
      Array.from({ length: kept.length }, (_, i) => first + i),
    );
    expect(kept.length).toBeGreaterThan(2 * (maxFileBytes / 80));
    await logs.close();
  });

  it('keeps ids increasing across a restart of the service', async () => {
    const dir = tempDir();
    const first = createLogService({ dir });
    await first.capture(replica(1), 'out', pipeOf('before\n'));
    await first.close();
    const second = createLogService({ dir });
    await second.capture(replica(1), 'out', pipeOf('after\n'));
    const [before, after] = await second.query({ app: 'shop' });
    expect(Number(after!.id)).toBeGreaterThan(Number(before!.id));
    expect((await second.readAfter('shop', before!.id)).map((l) => l.message)).toEqual(['after']);
    await second.close();
  });

  it('pages forward after an id, oldest first', async () => {
    const logs = createLogService({ dir: tempDir() });
    await logs.capture(replica(1), 'out', pipeOf(Array.from({ length: 50 }, (_, i) => `n${i}\n`).join('')));
    const all = await logs.query({ app: 'shop', limit: 50 });
    const page = await logs.readAfter('shop', all[9]!.id, {}, 5);
    expect(page.map((l) => l.message)).toEqual(['n10', 'n11', 'n12', 'n13', 'n14']);
    await expect(logs.readAfter('shop', 'x1')).rejects.toMatchObject({ code: 'NS_LOG_ID_INVALID' });
    await logs.close();
  });

  it('caps a run log with a marker line where it was cut, and keeps the run out of the process files', async () => {
    const dir = tempDir();
    const logs = createLogService({ dir, runLogCapBytes: 4096 });
    const runLog = join(dir, 'shop', 'runs', '41.log');
    const run = { app: 'shop', process: 'cron', source: 'cron:nightly#41', runLog };
    const body = Array.from({ length: 500 }, (_, i) => `step ${i}\n`).join('');
    await Promise.all([logs.capture(run, 'out', pipeOf(body)), logs.capture(run, 'err', pipeOf('warn\n'))]);
    const lines = await logs.readRunLog(runLog);
    expect(statSync(runLog).size).toBeLessThan(4096 + 300);
    const marker = lines.at(-1)!;
    expect(marker.message).toMatch(/^\[nightshift\] run log cut here/);
    expect(marker).toMatchObject({ app: 'shop', process: 'cron', source: 'cron:nightly#41', stream: 'err' });
    const steps = lines.filter((l) => l.message.startsWith('step')).map((l) => l.message);
    expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => `step ${i}`));
    expect(await logs.query({ app: 'shop' })).toEqual([]);
    await logs.close();
  });

  it('keeps the last 20 lines of a replica for crash events', async () => {
    const logs = createLogService({ dir: tempDir() });
    await logs.capture(replica(3), 'out', pipeOf(Array.from({ length: 30 }, (_, i) => `l${i}\n`).join('')));
    await logs.capture(replica(3), 'err', pipeOf(Buffer.concat([Buffer.from('boom '), Buffer.from([0xc3])])));
    const last = logs.lastLines('shop', 'emails.3');
    expect(last.length).toBe(20);
    expect(last.map((l) => l.message)).toEqual([
      ...Array.from({ length: 19 }, (_, i) => `l${i + 11}`),
      'boom \uFFFD',
    ]);
    expect(last.at(-1)).toMatchObject({ stream: 'err', process: 'emails', source: 'emails.3' });
    expect(last.map((l) => l.id)).toEqual((await logs.query({ app: 'shop', limit: 20 })).map((l) => l.id));
    expect(logs.lastLines('shop', 'emails.9')).toEqual([]);
    await logs.close();
  });
});

describe('removeApp', () => {
  it('removes the app log folder; a capture still running neither recreates them nor hangs', async () => {
    const dir = tempDir();
    const logs = createLogService({ dir });
    await logs.capture(replica(1), 'out', pipeOf('kept until removed\n'));
    const pipe = new PassThrough();
    const straggler = logs.capture(replica(1), 'out', pipe);
    pipe.write('before removal\n');
    await logs.removeApp('shop');
    expect(existsSync(join(dir, 'shop', 'logs'))).toBe(false);
    pipe.end(`${'after removal\n'.repeat(200_000)}`);
    await straggler;
    expect(existsSync(join(dir, 'shop', 'logs'))).toBe(false);
    expect(await logs.query({ app: 'shop' })).toEqual([]);
    await logs.close();
  });
});

describe('parseFields', () => {
  it('returns the object of a JSON message and nothing for other text', () => {
    expect(parseFields('{"level":30,"msg":"sent","to":"a@b"}')).toEqual({
      level: 30,
      msg: 'sent',
      to: 'a@b',
    });
    expect(parseFields('  {"a":1}  ')).toEqual({ a: 1 });
    expect(parseFields('[1,2]')).toBeUndefined();
    expect(parseFields('{not json}')).toBeUndefined();
    expect(parseFields('plain text')).toBeUndefined();
  });
});
