import { tryParseDuration } from '@nightshift/manifest/names';
import { ErrorCodes, NightshiftError, type UsagePrices } from '@nightshift/protocol';

/** Usage accounting's settings (config.ts reads them with the daemon's others). */
export interface UsageSettings {
  /** How often the daemon records that it is alive (NIGHTSHIFT_USAGE_HEARTBEAT, default 15s). */
  readonly heartbeatMs: number;
  /** NIGHTSHIFT_USAGE_PRICES=vcpu_minute=0.0004,gib_minute=0.0001; null: no cost column. */
  readonly prices: UsagePrices | null;
  /**
   * What a period counts when its process left `resources` unset: 1 vCPU and 512 MiB, the defaults of a Cloud
   * Run instance (a process without a limit may use a whole core or more locally; docs/usage.md).
   */
  readonly defaults: { readonly cpu: number; readonly memoryBytes: number };
  /**
   * How long ended periods are kept (NIGHTSHIFT_USAGE_RETENTION, default 400d: a year's report and a month to
   * spare); null keeps them forever. A year of periods of 50 replicas restarting hourly is ~435,000 rows.
   */
  readonly retentionMs: number | null;
}

export const DEFAULT_USAGE_SETTINGS: UsageSettings = {
  heartbeatMs: 15_000,
  prices: null,
  defaults: { cpu: 1, memoryBytes: 512 * 1024 ** 2 },
  retentionMs: 400 * 86_400_000,
};

/**
 * `NIGHTSHIFT_USAGE_HEARTBEAT`, `NIGHTSHIFT_USAGE_PRICES` and `NIGHTSHIFT_USAGE_RETENTION`; a bad value stops the
 * daemon with the fix.
 */
export function parseUsageSettings(env: NodeJS.ProcessEnv): UsageSettings {
  return {
    ...DEFAULT_USAGE_SETTINGS,
    heartbeatMs: parseHeartbeat(env.NIGHTSHIFT_USAGE_HEARTBEAT?.trim() || undefined),
    prices: parsePrices(env.NIGHTSHIFT_USAGE_PRICES?.trim() || undefined),
    retentionMs: parseRetention(env.NIGHTSHIFT_USAGE_RETENTION?.trim() || undefined),
  };
}

function parseRetention(text: string | undefined): number | null {
  if (text === undefined) return DEFAULT_USAGE_SETTINGS.retentionMs;
  if (text === 'none') return null;
  const ms = tryParseDuration(text);
  // Under a day, a daily report could lose periods of the day it shows.
  if (ms === null || ms < 86_400_000) {
    throw new NightshiftError(
      ErrorCodes.daemonConfigInvalid,
      `NIGHTSHIFT_USAGE_RETENTION="${text}" is not a duration of at least 1d, nor none`,
      'e.g. NIGHTSHIFT_USAGE_RETENTION=400d (the default), or none to keep every period',
    );
  }
  return ms;
}

function parseHeartbeat(text: string | undefined): number {
  if (text === undefined) return DEFAULT_USAGE_SETTINGS.heartbeatMs;
  const ms = tryParseDuration(text);
  // Under 100 ms the writes cost more than they tell; over an hour a crash could bill an hour nobody ran.
  if (ms === null || ms < 100 || ms > 3_600_000) {
    throw new NightshiftError(
      ErrorCodes.daemonConfigInvalid,
      `NIGHTSHIFT_USAGE_HEARTBEAT="${text}" is not a duration from 100ms to 1h`,
      'e.g. NIGHTSHIFT_USAGE_HEARTBEAT=15s (the default): after a kill -9, running periods end at the last beat',
    );
  }
  return ms;
}

const PRICE_KEYS: Readonly<Record<string, keyof UsagePrices>> = {
  vcpu_minute: 'vcpuMinute',
  gib_minute: 'gibMinute',
};

function parsePrices(text: string | undefined): UsagePrices | null {
  if (text === undefined) return null;
  const prices: Record<keyof UsagePrices, number> = { vcpuMinute: 0, gibMinute: 0 };
  for (const entry of text.split(',')) {
    const [name = '', value = ''] = entry.split('=').map((part) => part.trim());
    const key = PRICE_KEYS[name];
    const price = Number(value);
    if (key === undefined || value === '' || !Number.isFinite(price) || price < 0) {
      throw new NightshiftError(
        ErrorCodes.daemonConfigInvalid,
        `NIGHTSHIFT_USAGE_PRICES="${text}": "${entry.trim()}" is not vcpu_minute=N or gib_minute=N`,
        'e.g. NIGHTSHIFT_USAGE_PRICES=vcpu_minute=0.0004,gib_minute=0.0001 (a price left out is 0)',
      );
    }
    prices[key] = price;
  }
  return prices;
}
