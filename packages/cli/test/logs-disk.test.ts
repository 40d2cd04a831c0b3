import { describe, expect, it } from 'vitest';
import { formatLogDisk } from '../src/commands/logs-disk.js';

const MiB = 1024 * 1024;

describe('logs --disk', () => {
  it('prints each app against its retention, then the sum against the total cap', () => {
    const text = formatLogDisk({
      apps: [
        {
          app: 'shop',
          bytes: 96 * MiB,
          files: 12,
          compressedFiles: 10,
          oldestSegmentAt: '2026-12-06T13:00:00.000Z',
          retainBytes: 100 * MiB,
          maxAgeMs: 14 * 86_400_000,
        },
        {
          app: 'quiet',
          bytes: 1536,
          files: 1,
          compressedFiles: 0,
          oldestSegmentAt: null,
          retainBytes: 500 * MiB,
          maxAgeMs: null,
        },
      ],
      totalBytes: 96 * MiB + 1536,
      totalCapBytes: 10 * 1024 * MiB,
    });
    expect(text.split('\n')).toEqual([
      'APP    HOLDS  RETAIN  MAX AGE  FILES  COMPRESSED  OLDEST SEGMENT (NEWEST LINE)',
      'shop   96Mi   100Mi   14d      12     10          2026-12-06T13:00:00.000Z',
      'quiet  1.5Ki  500Mi   -        1      0           -',
      'all apps: 96Mi (total cap 10Gi)',
      '',
    ]);
  });
});
