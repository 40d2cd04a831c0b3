import { describe, expect, it } from 'vitest';
import { formatDuration, formatSize, parseCpu, parseDuration, parseMemory, parseSize } from '../src/index.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1_500],
    ['0s', 0],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '10', '10 s', 's', '1w', '-5s', '5m 1s', '1.s'])('rejects %j with a coded error', (text) => {
    expect(() => parseDuration(text)).toThrow(
      expect.objectContaining({ code: 'NS_MANIFEST_INVALID_DURATION' }),
    );
  });

  it('formats back to the shortest notation', () => {
    expect([300_000, 10_000, 3_600_000, 1_500, 86_400_000, 90_000].map(formatDuration)).toEqual([
      '5m',
      '10s',
      '1h',
      '1500ms',
      '1d',
      '90s',
    ]);
  });
});

describe('parseMemory', () => {
  it.each([
    ['512Mi', 512 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['64Ki', 64 * 1024],
    ['500M', 500e6],
    ['1G', 1e9],
    ['2k', 2000],
  ])('%s → %d bytes', (text, bytes) => expect(parseMemory(text)).toBe(bytes));

  it.each(['512', '512MB', '0Mi', 'Mi', '1 Gi', '-1Gi'])('rejects %j', (text) => {
    expect(() => parseMemory(text)).toThrow(expect.objectContaining({ code: 'NS_MANIFEST_INVALID_MEMORY' }));
  });
});

describe('parseSize', () => {
  it.each([
    ['100Mi', 100 * 2 ** 20],
    ['1GiB', 2 ** 30],
    ['1Gi', 2 ** 30],
    ['500MB', 500e6],
    ['2.5Gi', 2.5 * 2 ** 30],
  ])('%s → %d bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));

  it.each(['100', '0Mi', '1 GiB', 'GiB', '1GB2', '1Gib'])('rejects %j', (text) => {
    expect(() => parseSize(text)).toThrow(expect.objectContaining({ code: 'NS_MANIFEST_INVALID_SIZE' }));
  });

  it('formats back in the largest readable binary unit', () => {
    expect([500 * 2 ** 20, 2 ** 30, 1536, 100].map(formatSize)).toEqual(['500Mi', '1Gi', '1.5Ki', '100B']);
  });
});

describe('parseCpu', () => {
  it.each([
    ['500m', 0.5],
    ['250m', 0.25],
    ['1', 1],
    ['0.5', 0.5],
    [2, 2],
    [0.1, 0.1],
  ] as const)('%j → %d cores', (value, cores) => expect(parseCpu(value)).toBe(cores));

  it.each(['0m', '0', 0, -1, '1.5m', 'half', '0.0001', Number.NaN])('rejects %j', (value) => {
    expect(() => parseCpu(value)).toThrow(expect.objectContaining({ code: 'NS_MANIFEST_INVALID_CPU' }));
  });
});
