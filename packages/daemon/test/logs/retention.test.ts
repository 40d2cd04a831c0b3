import { existsSync, mkdirSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogService, type LogService } from '../../src/logs/index.js';
import { manualClock, pipeOf, useTempDir } from './helpers.js';

const tempDir = useTempDir();
const MiB = 1024 * 1024;
const target = (app: string) => ({ app, process: 'emails', source: 'emails.1' });

/** `count` numbered lines of about 100 bytes, from `from` on. */
function numbered(from: number, count: number): string {
  let text = '';
  for (let n = from; n < from + count; n++) text += `line ${n} ${'x'.repeat(90)}\n`;
  return text;
}

function diskOf(dir: string, app: string): { bytes: number; names: string[] } {
  const logsDir = join(dir, app, 'logs');
  const names = readdirSync(logsDir);
  return { bytes: names.reduce((sum, name) => sum + statSync(join(logsDir, name)).size, 0), names };
}

/** Waits until every rotated segment is compressed (compression runs after rotation, off the capture path). */
async function compressed(dir: string, app: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (!diskOf(dir, app).names.some((name) => /\.\d+\.log(\.gz\.partial)?$/.test(name))) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`segments still uncompressed: ${diskOf(dir, app).names.join(' ')}`);
}

async function capture(logs: LogService, app: string, from: number, count: number): Promise<void> {
  // In chunks, as a pipe delivers: each chunk is a batch, so rotation and retention run between them.
  const text = numbered(from, count);
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += 256 * 1024) chunks.push(text.slice(at, at + 256 * 1024));
  await logs.capture(target(app), 'out', pipeOf(...chunks));
}

describe('retention', () => {
  it('keeps an app within its retention plus one segment, keeps the newest lines whole, and compresses rotated segments', async () => {
    const dir = tempDir();
    const logs = createLogService({ dir, retainBytes: 4 * MiB });
    const count = 200_000; // about 20 MB
    await capture(logs, 'shop', 1, count);
    await compressed(dir, 'shop');
    const { bytes, names } = diskOf(dir, 'shop');
    expect(bytes).toBeLessThanOrEqual(4 * MiB + MiB / 2); // the segment is an eighth of the retention
    expect(names.filter((n) => n.endsWith('.log.gz')).length).toBeGreaterThan(2);
    // Everything kept is a contiguous run ending at the newest line, read back across the compressed segments.
    const kept = [];
    for await (const line of logs.streamLast({ app: 'shop', limit: count })) kept.push(line);
    const numbers = kept.map((line) => Number(line.message.split(' ')[1]));
    expect(numbers.at(-1)).toBe(count);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => numbers[0]! + i));
    expect(await logs.query({ app: 'shop', limit: numbers.length })).toEqual(kept);
    await logs.close();
  });

  it('holds far more lines than its retention in compressed segments when compression keeps up', async () => {
    const dir = tempDir();
    const logs = createLogService({ dir, retainBytes: 2 * MiB });
    // Under a flood retention removes segments before they are compressed (the disk bound comes first); at a
    // pace compression keeps up with, the retention holds compressed segments.
    for (let round = 0; round < 20; round++) {
      await capture(logs, 'shop', round * 10_000 + 1, 10_000);
      await compressed(dir, 'shop');
    }
    expect(diskOf(dir, 'shop').bytes).toBeLessThanOrEqual(2 * MiB + 256 * 1024);
    const kept = await logs.query({ app: 'shop', limit: 1_000_000 });
    expect(kept.at(-1)!.message.split(' ')[1]).toBe('200000');
    expect(kept.length * 100).toBeGreaterThan(8 * MiB);
    await logs.close();
  });

  it('reads a since/until window and resumes after an id across compressed segments', async () => {
    const dir = tempDir();
    const clock = manualClock(1_000);
    const logs = createLogService({ dir, clock: clock.now, retainBytes: 64 * MiB, maxFileBytes: 128 * 1024 });
    for (let t = 0; t < 20; t++) {
      clock.set(1_000 + t);
      await capture(logs, 'shop', t * 2_000 + 1, 2_000);
    }
    await compressed(dir, 'shop');
    expect(diskOf(dir, 'shop').names.filter((n) => n.endsWith('.log.gz')).length).toBeGreaterThan(10);
    const window = await logs.query({ app: 'shop', since: 1_003, until: 1_005, limit: 10_000 });
    expect(window.map((l) => Number(l.message.split(' ')[1]))).toEqual(
      Array.from({ length: 4_000 }, (_, i) => 6_001 + i),
    );
    const after = await logs.readAfter('shop', window[0]!.id, {}, 3);
    expect(after.map((l) => l.message.split(' ')[1])).toEqual(['6002', '6003', '6004']);
    await logs.close();
  });

  it('applies an app’s own retention and max_age, and the total cap across apps', async () => {
    const dir = tempDir();
    const clock = manualClock(Date.now());
    const logs = createLogService({
      dir,
      clock: clock.now,
      retainBytes: 64 * MiB,
      totalCapBytes: 6 * MiB,
      compress: false,
    });
    logs.setRetention('small', { retainBytes: 2 * MiB, maxAgeMs: null });
    await capture(logs, 'small', 1, 50_000);
    expect(diskOf(dir, 'small').bytes).toBeLessThanOrEqual(2 * MiB + 256 * 1024);
    await capture(logs, 'big', 1, 60_000);
    await capture(logs, 'small', 50_001, 10_000);
    const total = diskOf(dir, 'small').bytes + diskOf(dir, 'big').bytes;
    expect(total).toBeLessThanOrEqual(6 * MiB + 2 * 8 * MiB); // plus one segment per app being written
    // A sweep lists every app: the total cap then removes the oldest segments of any app.
    logs.startRetention(60_000)();
    const swept = diskOf(dir, 'small').bytes + diskOf(dir, 'big').bytes;
    const smallSegments = diskOf(dir, 'small').names.filter((n) => /\.\d+\.log/.test(n));
    expect(swept <= 6 * MiB || smallSegments.length === 0, `${swept} bytes, ${smallSegments.join(' ')}`).toBe(
      true,
    );
    // max_age: segments whose newest line is older go at the next sweep; the file being written stays.
    const logsDir = join(dir, 'big', 'logs');
    const old = new Date(clock.now() - 3 * 86_400_000);
    for (const name of readdirSync(logsDir)) utimesSync(join(logsDir, name), old, old);
    logs.setRetention('big', { retainBytes: null, maxAgeMs: 86_400_000 });
    expect(readdirSync(logsDir).filter((n) => /\.\d+\.log/.test(n))).toEqual([]);
    expect(existsSync(join(logsDir, 'emails.log'))).toBe(true);
    const usage = logs.diskUsage();
    expect(usage.totalCapBytes).toBe(6 * MiB);
    expect(usage.apps.map((a) => [a.app, a.rule])).toEqual([
      ['big', { retainBytes: 64 * MiB, maxAgeMs: 86_400_000 }],
      ['small', { retainBytes: 2 * MiB, maxAgeMs: null }],
    ]);
    await logs.close();
  });

  it('reports a segment it cannot compress and goes on capturing; the plain segment stays readable', async () => {
    const dir = tempDir();
    const errors: string[] = [];
    const logs = createLogService({
      dir,
      maxFileBytes: 128 * 1024,
      onError: (error) => errors.push(`${error.code} ${error.message}`),
    });
    // A directory where the first segment is compressed to: the compression cannot write it.
    mkdirSync(join(dir, 'shop', 'logs', 'emails.1.log.gz.partial'), { recursive: true });
    await capture(logs, 'shop', 1, 5_000);
    await waitUntil(() => errors.some((e) => e.includes('cannot compress')));
    expect(errors.find((e) => e.includes('cannot compress'))).toMatch(
      /^NS_LOG_RETENTION_FAILED log retention: cannot compress .*emails\.1\.log \(/,
    );
    await capture(logs, 'shop', 5_001, 1_000);
    const kept = await logs.query({ app: 'shop', limit: 1_000_000 });
    expect(kept.map((l) => Number(l.message.split(' ')[1]))).toEqual(
      Array.from({ length: 6_000 }, (_, i) => i + 1),
    );
    await logs.close();
  });
});

async function waitUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
