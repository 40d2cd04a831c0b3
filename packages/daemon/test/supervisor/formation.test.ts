import { describe, expect, it } from 'vitest';
import type { WorkerSpec } from '@nightshift/manifest';
import { applyScale, desiredCount } from '../../src/supervisor/pure/formation.js';

const worker = (replicas: number | null, autoscaleMin?: number) =>
  ({
    kind: 'worker',
    name: 'emails',
    replicas,
    autoscale:
      autoscaleMin === undefined ? null : { min: autoscaleMin, max: 9, cpu: null, memory: null, queue: null },
  }) as unknown as WorkerSpec;

describe('formation', () => {
  it('uses the manifest count when nothing was scaled', () => {
    expect(desiredCount(worker(2), undefined)).toBe(2);
    expect(desiredCount(worker(null, 3), undefined)).toBe(3);
  });
  it('keeps a scale count while the manifest count is the one it was set against', () => {
    expect(desiredCount(worker(2), { scaled: 5, scaledAgainst: 2, stopped: false })).toBe(5);
  });
  it('lets the manifest win once its count changes', () => {
    expect(desiredCount(worker(3), { scaled: 5, scaledAgainst: 2, stopped: false })).toBe(3);
  });
  it('wants nothing for a stopped process', () => {
    expect(desiredCount(worker(2), { scaled: 5, scaledAgainst: 2, stopped: true })).toBe(0);
  });
  it('applies =, + and - without going below zero', () => {
    expect(applyScale(3, '=', 5)).toBe(5);
    expect(applyScale(3, '+', 2)).toBe(5);
    expect(applyScale(3, '-', 9)).toBe(0);
  });
});
