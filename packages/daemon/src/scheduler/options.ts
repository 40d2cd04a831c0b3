import type { Granularity } from './pure/schedule.js';

/** The scheduler's settings; `parseSchedulerOptions` applies the defaults. */
export interface SchedulerOptions {
  /** `minutes` (the manifest's 5 fields) unless a library user needs seconds. */
  readonly granularity?: Granularity;
  /** SIGTERM → SIGKILL for timeouts, replacement and stop; default 10 s. */
  readonly killGraceMs?: number;
  /** The loop wakes at least this often, whatever the next slot; default 1 s. */
  readonly tickMaxMs?: number;
}

/** The complete, checked form of `SchedulerOptions`. */
export interface SchedulerConfig {
  readonly granularity: Granularity;
  readonly killGraceMs: number;
  readonly tickMaxMs: number;
}

/** Applies the defaults and rejects values that cannot work. */
export function parseSchedulerOptions(o: SchedulerOptions = {}): SchedulerConfig {
  const config = {
    granularity: o.granularity ?? 'minutes',
    killGraceMs: o.killGraceMs ?? 10_000,
    tickMaxMs: o.tickMaxMs ?? 1_000,
  };
  if (config.granularity !== 'minutes' && config.granularity !== 'seconds')
    throw new TypeError(`granularity ${String(config.granularity)}`);
  if (!(config.killGraceMs >= 0) || !(config.tickMaxMs > 0))
    throw new TypeError('killGraceMs ≥ 0 and tickMaxMs > 0 are required');
  return config;
}
