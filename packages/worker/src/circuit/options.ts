/**
 * Parses `circuitBreaker: { failures, window, cooldown }` from a worker definition into a {@link BreakerPolicy}.
 * Durations are milliseconds or strings like `30s`, `500ms`, `2m`, `1h`, the way the manifest writes them.
 */
import { WorkerError } from '../errors.js';
import type { BreakerPolicy } from './breaker.js';

/** The `circuitBreaker` option of a worker definition. */
export interface CircuitBreakerOptions {
  /** Failed jobs within `window` that open the breaker. */
  readonly failures: number;
  /** How far back failures count: milliseconds or `'30s'`. */
  readonly window: number | string;
  /** How long the breaker stays open before letting one trial job through: milliseconds or `'60s'`. */
  readonly cooldown: number | string;
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
// Node's timers overflow past 2^31-1 ms (24.8 days) and would fire at once: a day is far beyond any sane cooldown.
const MAX_MS = 86_400_000;

/**
 * Checks and converts the option; `undefined` stays `undefined` (no breaker).
 *
 * @example
 * parseCircuitBreaker('emails', { failures: 10, window: '30s', cooldown: '60s' });
 * // { failures: 10, windowMs: 30000, cooldownMs: 60000 }
 */
export function parseCircuitBreaker(worker: string, value: unknown): BreakerPolicy | undefined {
  if (value === undefined) return undefined;
  const example = "e.g. circuitBreaker: { failures: 10, window: '30s', cooldown: '60s' }";
  if (typeof value !== 'object' || value === null)
    throw invalid(worker, '"circuitBreaker" must be an object', example);
  const { failures, window, cooldown, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined)
    throw invalid(
      worker,
      `unknown key "circuitBreaker.${extra}"`,
      'the keys are failures, window and cooldown',
    );
  if (typeof failures !== 'number' || !Number.isInteger(failures) || failures < 1)
    throw invalid(
      worker,
      `"circuitBreaker.failures" must be a whole number ≥ 1, got ${JSON.stringify(failures)}`,
      example,
    );
  return Object.freeze({
    failures,
    windowMs: duration(worker, 'window', window),
    cooldownMs: duration(worker, 'cooldown', cooldown),
  });
}

function duration(worker: string, key: string, value: unknown): number {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isInteger(value)) ms = value;
  if (typeof value === 'string') {
    const match = /^(\d+)(ms|s|m|h)$/.exec(value.trim());
    if (match) ms = Number(match[1]) * UNITS[match[2]!]!;
  }
  if (ms === undefined || ms < 1 || ms > MAX_MS)
    throw invalid(
      worker,
      `"circuitBreaker.${key}" must be a duration from 1ms to 24h, got ${JSON.stringify(value)}`,
      "write milliseconds or a string like '500ms', '30s', '5m'",
    );
  return ms;
}

function invalid(worker: string, what: string, hint: string): WorkerError {
  return new WorkerError('NS_WORKER_DEFINITION_INVALID', `worker "${worker}": ${what}`, hint);
}
