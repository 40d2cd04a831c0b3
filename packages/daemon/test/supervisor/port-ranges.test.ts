import type { ProcessSpec } from '@nightshift/manifest';
import { describe, expect, it } from 'vitest';
import { portOverlap } from '../../src/supervisor/pure/port-ranges.js';

const worker = (name: string, health: number | null, metrics: number | null) =>
  ({
    kind: 'worker',
    name,
    health: health === null ? null : { port: health },
    metrics: metrics === null ? null : { port: metrics, path: '/metrics' },
  }) as unknown as ProcessSpec;

describe('port ranges at a scale count (pure)', () => {
  const procs = [worker('a', 8000, null), worker('b', 8003, 9000)];

  it('accepts counts whose ranges stay apart', () => {
    expect(portOverlap(procs, new Map([['a', 3]]))).toBeNull();
  });

  it('names the two ranges that a larger count makes meet', () => {
    expect(portOverlap(procs, new Map([['a', 4]]))).toBe(
      'b health port 8003 would overlap a health ports 8000–8003',
    );
  });

  it('names a range whose last replica would listen past 65535', () => {
    const top = [worker('a', null, 65533)];
    expect(portOverlap(top, new Map([['a', 3]]))).toBeNull();
    expect(portOverlap(top, new Map([['a', 4]]))).toBe(
      'a metrics ports 65533–65536 would go past port 65535',
    );
  });

  it('a process without health or metrics reserves nothing', () => {
    expect(portOverlap([worker('a', null, null), worker('b', null, null)], new Map([['a', 50]]))).toBeNull();
  });
});
