import { describe, expect, it } from 'vitest';
import { parentCgroupName } from '../../src/cgroups/parent-name.js';

describe('parentCgroupName', () => {
  it('is the FNV-1a 64-bit hash of the home, 12 hex digits', () => {
    // The published FNV-1a 64 test vectors: "" → cbf29ce484222325, "a" → af63dc4c8601ec8c.
    expect(parentCgroupName('')).toBe('nightshift-cbf29ce48422');
    expect(parentCgroupName('a')).toBe('nightshift-af63dc4c8601');
  });

  it('tells homes apart and is stable for one home', () => {
    const names = new Set(Array.from({ length: 1000 }, (_, i) => parentCgroupName(`/tmp/ns-e2e-${i}/home`)));
    expect(names.size).toBe(1000);
    expect(parentCgroupName('/var/lib/nightshift')).toBe(parentCgroupName('/var/lib/nightshift'));
    expect(parentCgroupName('/var/lib/nightshift')).toMatch(/^nightshift-[0-9a-f]{12}$/);
  });
});
