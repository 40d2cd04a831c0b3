import { describe, expect, it } from 'vitest';
import { planRemovals, type StoredFile } from '../../src/logs/pure/retention.js';

const MiB = 1024 * 1024;

function segment(app: string, gen: number, mib: number, newestMs: number): StoredFile {
  return {
    app,
    path: `${app}/emails.${gen}.log.gz`,
    bytes: mib * MiB,
    newestMs,
    removable: true,
    order: gen,
  };
}

function current(app: string, mib: number, newestMs: number): StoredFile {
  const order = Number.MAX_SAFE_INTEGER;
  return { app, path: `${app}/emails.log`, bytes: mib * MiB, newestMs, removable: false, order };
}

const noAge = { retainBytes: 10 * MiB, maxAgeMs: null };

describe('planRemovals', () => {
  it('removes the oldest segments until the app holds its retention, counting but keeping the current file', () => {
    const files = [
      current('shop', 3, 50),
      segment('shop', 1, 4, 10),
      segment('shop', 2, 4, 20),
      segment('shop', 3, 4, 30),
    ];
    expect(planRemovals(files, () => noAge, null, 100)).toEqual([
      'shop/emails.1.log.gz',
      'shop/emails.2.log.gz',
    ]);
  });

  it('never removes the current file, even when it alone is over the retention', () => {
    expect(planRemovals([current('shop', 20, 50)], () => noAge, null, 100)).toEqual([]);
  });

  it('orders by the newest line, then by generation, across process types', () => {
    const web = { ...segment('shop', 9, 4, 10), path: 'shop/web.9.log.gz' };
    const files = [segment('shop', 1, 4, 10), web, segment('shop', 2, 4, 5), segment('shop', 3, 4, 40)];
    expect(planRemovals(files, () => ({ retainBytes: 5 * MiB, maxAgeMs: null }), null, 100)).toEqual([
      'shop/emails.2.log.gz',
      'shop/emails.1.log.gz',
      'shop/web.9.log.gz',
    ]);
  });

  it('removes segments whose newest line is older than max_age, whatever the size', () => {
    const files = [segment('shop', 1, 1, 1_000), segment('shop', 2, 1, 5_000), segment('shop', 3, 1, 9_000)];
    expect(planRemovals(files, () => ({ retainBytes: 100 * MiB, maxAgeMs: 4_000 }), null, 10_000)).toEqual([
      'shop/emails.1.log.gz',
      'shop/emails.2.log.gz',
    ]);
  });

  it('applies each app its own rule, then the total cap to the oldest segments of any app', () => {
    const files = [
      segment('a', 1, 4, 10),
      segment('a', 2, 4, 40),
      segment('b', 1, 4, 20),
      segment('b', 2, 4, 30),
      current('b', 1, 50),
    ];
    const rules = (app: string) => ({ retainBytes: (app === 'a' ? 4 : 100) * MiB, maxAgeMs: null });
    expect(planRemovals(files, rules, null, 100)).toEqual(['a/emails.1.log.gz']);
    expect(planRemovals(files, rules, 9 * MiB, 100)).toEqual(['a/emails.1.log.gz', 'b/emails.1.log.gz']);
  });
});
