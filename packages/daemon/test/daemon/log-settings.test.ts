import { describe, expect, it } from 'vitest';
import { parseDaemonConfig, parseLogSettings } from '../../src/config.js';

const MiB = 1024 * 1024;

describe('log retention settings of the daemon', () => {
  it('leaves every setting to the log service when no variable is set', () => {
    expect(parseLogSettings({})).toEqual({});
    expect(parseDaemonConfig({}).logs).toEqual({});
  });

  it('reads sizes with or without B, a duration, and none for the limits that can be switched off', () => {
    expect(
      parseLogSettings({
        NIGHTSHIFT_LOGS_RETAIN: '1GiB',
        NIGHTSHIFT_LOGS_MAX_AGE: '14d',
        NIGHTSHIFT_LOGS_TOTAL: '20Gi',
      }),
    ).toEqual({ retainBytes: 1024 * MiB, maxAgeMs: 14 * 86_400_000, totalCapBytes: 20 * 1024 * MiB });
    expect(parseLogSettings({ NIGHTSHIFT_LOGS_MAX_AGE: 'none', NIGHTSHIFT_LOGS_TOTAL: 'none' })).toEqual({
      maxAgeMs: null,
      totalCapBytes: null,
    });
  });

  it('takes the daemon flags over the variables', () => {
    const env = { NIGHTSHIFT_LOGS_RETAIN: '1Gi', NIGHTSHIFT_LOGS_TOTAL: '20Gi' };
    expect(parseDaemonConfig(env, { logsRetain: '2Gi', logsMaxAge: '7d' }).logs).toEqual({
      retainBytes: 2048 * MiB,
      maxAgeMs: 7 * 86_400_000,
      totalCapBytes: 20 * 1024 * MiB,
    });
    expect(() => parseDaemonConfig({}, { logsTotal: 'lots' })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('--logs-total') }),
    );
  });

  it.each([
    ['NIGHTSHIFT_LOGS_RETAIN', '500'],
    ['NIGHTSHIFT_LOGS_RETAIN', '512Ki'],
    ['NIGHTSHIFT_LOGS_RETAIN', 'none'],
    ['NIGHTSHIFT_LOGS_TOTAL', 'lots'],
    ['NIGHTSHIFT_LOGS_MAX_AGE', '2y'],
    ['NIGHTSHIFT_LOGS_MAX_AGE', '400d'],
    ['NIGHTSHIFT_LOGS_MAX_AGE', '0s'],
  ])('refuses %s=%s with NS_DAEMON_CONFIG_INVALID, naming the variable', (name, value) => {
    expect(() => parseLogSettings({ [name]: value })).toThrow(
      expect.objectContaining({ code: 'NS_DAEMON_CONFIG_INVALID', message: expect.stringContaining(name) }),
    );
  });
});
