import { describe, expect, it } from 'vitest';
import { matches, parseMatch } from '../../src/queues/match.js';

/** `--match PATH=VALUE` of `queues cancel`: which jobs it takes (pure). */
describe('queue job match', () => {
  const job = {
    name: 'send',
    data: { tenant: 'acme', priority: 3, vip: true, note: null, tags: ['a', 'b'], nested: { id: 'x1' } },
  };
  const test = (path: string, value: string) => matches(job, parseMatch(path, value)!);

  it('compares a scalar by its text, at any depth, JSONPath `$.` accepted', () => {
    expect(test('data.tenant', 'acme')).toBe(true);
    expect(test('$.data.tenant', 'acme')).toBe(true);
    expect(test('data.tenant', 'acme-corp')).toBe(false);
    expect(test('data.priority', '3')).toBe(true);
    expect(test('data.vip', 'true')).toBe(true);
    expect(test('data.note', 'null')).toBe(true);
    expect(test('data.nested.id', 'x1')).toBe(true);
    expect(test('data.tags.1', 'b')).toBe(true);
    expect(test('name', 'send')).toBe(true);
  });

  it('compares an object or array by its exact JSON, and a missing field never matches', () => {
    expect(test('data.tags', '["a","b"]')).toBe(true);
    expect(test('data.nested', '{"id":"x1"}')).toBe(true);
    expect(test('data.tenant.length', '4')).toBe(false);
    expect(test('data.missing', 'undefined')).toBe(false);
    expect(test('data.constructor', '')).toBe(false);
  });

  it('refuses an empty path or an empty field', () => {
    expect(parseMatch('', 'x')).toBeNull();
    expect(parseMatch('data..tenant', 'x')).toBeNull();
    expect(parseMatch('data.', 'x')).toBeNull();
    expect(parseMatch('data.tenant', '')).toEqual({ path: ['data', 'tenant'], value: '' });
  });
});
