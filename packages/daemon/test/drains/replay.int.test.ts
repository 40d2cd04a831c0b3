import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../logs/helpers.js';
import { capture, receiver, uncompressed, drainWorld } from './helpers.js';
import { waitFor } from '../logs/receivers.js';

const tempDir = useTempDir();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const KiB = 1024;
const BUFFER_LINES = 1000;

/** A real log service, store and event bus with one drain of `shop` to `url`, tuned to retry fast. */
function daemon(dir: string, url: string, retainBytes: number) {
  const { logs, db, events, drains } = drainWorld(dir, { bufferLines: BUFFER_LINES, retainBytes });
  const { id } = drains.add('shop', url);
  cleanups.push(async () => {
    await drains.closeAll();
    await logs.close();
    db.close();
  });
  const status = () => drains.list('shop').find((d) => d.id === id)!;
  return { logs, drains, events, status, appDir: join(dir, 'apps') };
}

describe('drain replay', () => {
  it('delivers every line exactly once and in order after an outage far longer than its buffer, reading compressed segments back', async () => {
    const dir = tempDir();
    const { url, accepted, setDown } = await receiver((close) => cleanups.push(close));
    const { logs, status, events, appDir } = daemon(dir, url, 64 * 1024 * KiB);
    const flood = 40 * BUFFER_LINES; // about 4 MB: 30 segments of 128 KiB
    await capture(logs, 1, flood);
    await waitFor(() => uncompressed(appDir).length === 0, 10_000, 'compressed segments');
    expect(
      readdirSync(join(appDir, 'shop', 'logs')).filter((n) => n.endsWith('.log.gz')).length,
    ).toBeGreaterThan(20);
    expect(status()).toMatchObject({ delivered: 0, undelivered: 0, buffered: flood });
    expect(status().lastError?.message).toMatch(/503/);

    // The receiver is back while lines keep coming: the catch-up hands over to live lines without a gap.
    setDown(false);
    const more = 5 * BUFFER_LINES;
    for (let k = 0; k < 10; k++) {
      await capture(logs, flood + 1 + (k * more) / 10, more / 10);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const total = flood + more;
    await waitFor(() => status().delivered === total, 20_000, 'every line delivered');
    expect(accepted).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(status()).toMatchObject({ delivered: total, undelivered: 0, buffered: 0 });
    expect(events.filter((e) => e.type === 'drain:undelivered')).toEqual([]);
  });

  it('counts lines retention removed before they could be read back as undelivered, and delivers the rest in order', async () => {
    const dir = tempDir();
    const { url, accepted, setDown } = await receiver((close) => cleanups.push(close));
    const { logs, status, events } = daemon(dir, url, 1024 * KiB);
    const flood = 40 * BUFFER_LINES; // about 4 MB into a 1 MiB retention
    await capture(logs, 1, flood);
    setDown(false);
    await waitFor(
      () => status().buffered === 0 && status().delivered + status().undelivered === flood,
      20_000,
      'the catch-up to end',
    );
    const { delivered, undelivered } = status();
    expect(accepted.length).toBe(delivered);
    // What the buffer held when it filled, then the contiguous run retention kept, up to the last line.
    expect(accepted.slice(0, BUFFER_LINES)).toEqual(Array.from({ length: BUFFER_LINES }, (_, i) => i + 1));
    const kept = accepted.slice(BUFFER_LINES);
    expect(kept.at(-1)).toBe(flood);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => kept[0]! + i));
    expect(kept[0]).toBeGreaterThan(BUFFER_LINES + 1);
    expect(undelivered).toBe(kept[0]! - BUFFER_LINES - 1);
    await waitFor(
      () =>
        events
          .filter((e) => e.type === 'drain:undelivered')
          .reduce((sum, e) => sum + (e.data as { count: number }).count, 0) === undelivered,
      5000,
      'the drain:undelivered events',
    );
  });
});
