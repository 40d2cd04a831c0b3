import { describe, expect, it } from 'vitest';
import { DEFAULT_USAGE_SETTINGS, parseUsageSettings } from '../../src/accounting/settings.js';

describe('usage settings', () => {
  it('default to a 15 s heartbeat, no prices, and 1 vCPU / 512 MiB for unset resources', () => {
    expect(parseUsageSettings({})).toEqual({
      heartbeatMs: 15_000,
      prices: null,
      defaults: { cpu: 1, memoryBytes: 512 * 1024 ** 2 },
      retentionMs: 400 * 86_400_000,
    });
    expect(DEFAULT_USAGE_SETTINGS.heartbeatMs).toBe(15_000);
  });

  it('read a price table and a heartbeat', () => {
    const s = parseUsageSettings({
      NIGHTSHIFT_USAGE_PRICES: 'vcpu_minute=0.0004, gib_minute=0.0001',
      NIGHTSHIFT_USAGE_HEARTBEAT: '1s',
    });
    expect(s.prices).toEqual({ vcpuMinute: 0.0004, gibMinute: 0.0001 });
    expect(s.heartbeatMs).toBe(1_000);
    expect(parseUsageSettings({ NIGHTSHIFT_USAGE_RETENTION: '30d' }).retentionMs).toBe(30 * 86_400_000);
    expect(parseUsageSettings({ NIGHTSHIFT_USAGE_RETENTION: 'none' }).retentionMs).toBeNull();
    expect(parseUsageSettings({ NIGHTSHIFT_USAGE_PRICES: 'gib_minute=0.5' }).prices).toEqual({
      vcpuMinute: 0,
      gibMinute: 0.5,
    });
  });

  it('refuse what they cannot read, with the fix', () => {
    for (const prices of ['cpu_minute=1', 'vcpu_minute=', 'vcpu_minute=-1', 'vcpu_minute=x']) {
      expect(() => parseUsageSettings({ NIGHTSHIFT_USAGE_PRICES: prices })).toThrow(
        expect.objectContaining({
          code: 'NS_DAEMON_CONFIG_INVALID',
          hint: expect.stringContaining('vcpu_minute='),
        }),
      );
    }
    for (const retention of ['12h', 'forever', '-1d']) {
      expect(() => parseUsageSettings({ NIGHTSHIFT_USAGE_RETENTION: retention })).toThrow(
        expect.objectContaining({ code: 'NS_DAEMON_CONFIG_INVALID', hint: expect.stringContaining('400d') }),
      );
    }
    for (const beat of ['0s', '50ms', '2h', 'often']) {
      expect(() => parseUsageSettings({ NIGHTSHIFT_USAGE_HEARTBEAT: beat })).toThrow(
        expect.objectContaining({ code: 'NS_DAEMON_CONFIG_INVALID' }),
      );
    }
  });
});
