import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UnpackedCache } from '../../src/logs/unpacked-cache.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();

function segment(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, gzipSync(text));
  return path;
}

async function text(log: { handle: import('node:fs/promises').FileHandle; size: number }): Promise<string> {
  const buf = Buffer.alloc(log.size);
  await log.handle.read(buf, 0, log.size, 0);
  return buf.toString('utf8');
}

describe('UnpackedCache', () => {
  it('unpacks a segment once for readers one after another, then closes it after the linger', async () => {
    const dir = tempDir();
    const gz = segment(dir, 'emails.3.log.gz', 'one\ntwo\n');
    const cache = new UnpackedCache(30);
    const a = (await cache.open(gz))!;
    expect(await text(a)).toBe('one\ntwo\n');
    await a.close();
    const b = (await cache.open(gz))!;
    expect(b.handle).toBe(a.handle); // the same unpacked copy, not a second unpack
    await b.close();
    await b.close(); // a second close is a no-op
    // Closed once the linger (30 ms) has passed with no reader; polled, as a busy machine fires timers late.
    for (let waited = 0; b.handle.fd !== -1 && waited < 5_000; waited += 10) await sleep(10);
    expect(b.handle.fd).toBe(-1);
    const c = (await cache.open(gz))!;
    expect(c.handle).not.toBe(a.handle);
    expect(await text(c)).toBe('one\ntwo\n');
    await c.close();
    await cache.close();
    expect(c.handle.fd).toBe(-1);
  });

  it('keeps a replaced segment open for the reader still on it, and unpacks a rewritten file anew', async () => {
    const dir = tempDir();
    const first = segment(dir, 'emails.3.log.gz', 'first\n');
    const second = segment(dir, 'emails.4.log.gz', 'second\n');
    const cache = new UnpackedCache(10_000);
    const a = (await cache.open(first))!;
    const b = (await cache.open(second))!;
    expect(await text(a)).toBe('first\n'); // still readable: its reader has not closed it
    await a.close();
    expect(a.handle.fd).toBe(-1); // replaced and unread: closed at once
    expect(await text(b)).toBe('second\n');
    await b.close();
    // Same name, another file: the cache knows a segment by its file, not by its name.
    writeFileSync(join(dir, 'tmp.gz'), gzipSync('rewritten\n'));
    renameSync(join(dir, 'tmp.gz'), second);
    const c = (await cache.open(second))!;
    expect(await text(c)).toBe('rewritten\n');
    await c.close();
    await cache.close();
    expect(c.handle.fd).toBe(-1);
  });

  it('reads plain files as they are, finds a rotated file compressed since it was listed, and a gone one is null', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'emails.log'), 'current\n');
    segment(dir, 'emails.5.log.gz', 'compressed since\n');
    const cache = new UnpackedCache(10);
    const plain = (await cache.open(join(dir, 'emails.log')))!;
    expect(await text(plain)).toBe('current\n');
    await plain.close();
    const moved = (await cache.open(join(dir, 'emails.5.log')))!;
    expect(await text(moved)).toBe('compressed since\n');
    await moved.close();
    expect(await cache.open(join(dir, 'emails.6.log'))).toBeNull();
    expect(await cache.open(join(dir, 'emails.7.log.gz'))).toBeNull();
    await cache.close();
  });
});
