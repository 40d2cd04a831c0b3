import { describe, expect, it } from 'vitest';
import { manifestJsonSchema } from '../src/index.js';
import { parse } from './helpers.js';

// Defect 2 of issue 22: Node's timers overflow above 2^31-1 ms (24.8 days) and fire at once, so `stop_grace: 25d`
// SIGKILLed after 18 ms. Every duration has an upper bound far below that, and a located error names it.

const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Each duration field, a manifest that sets it to `value`, the line:col of the value, and its bound. */
const FIELDS = [
  ['stop_grace', (v: string) => `workers:\n  - name: w\n    start: x\n    stop_grace: ${v}\n`, '4:17', '1h'],
  ['min_ready', (v: string) => `workers:\n  - name: w\n    start: x\n    min_ready: ${v}\n`, '4:16', '1h'],
  [
    'restart.backoff',
    (v: string) => `workers:\n  - name: w\n    start: x\n    restart: { backoff: ${v}, max_backoff: 1h }\n`,
    '4:25',
    '1h',
  ],
  [
    'restart.max_backoff',
    (v: string) => `workers:\n  - name: w\n    start: x\n    restart: { max_backoff: ${v} }\n`,
    '4:29',
    '1h',
  ],
  [
    'restart.reset_after',
    (v: string) => `workers:\n  - name: w\n    start: x\n    restart: { reset_after: ${v} }\n`,
    '4:29',
    '1d',
  ],
  ['health.interval', (v: string) => `web:\n  start: x\n  health: { interval: ${v} }\n`, '3:23', '1h'],
  [
    'health.timeout',
    (v: string) => `web:\n  start: x\n  health: { timeout: ${v}, interval: 1h }\n`,
    '3:22',
    '1h',
  ],
  [
    'cron timeout',
    (v: string) => `cron:\n  - name: c\n    schedule: "@daily"\n    command: x\n    timeout: ${v}\n`,
    '5:14',
    '7d',
  ],
] as const;

describe('duration bounds', () => {
  it.each(FIELDS)('%s: 25d is refused where it is written, naming the allowed range', (_f, yaml, at, max) => {
    const result = parse(yaml('25d'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${e.line}:${e.column} ${e.code}`)).toEqual([
      `${at} NS_MANIFEST_DURATION_RANGE`,
    ]);
    expect(result.errors[0]?.message).toContain(`25d is longer than ${max}`);
    expect(result.errors[0]?.hint).toContain(max);
  });

  it.each(FIELDS)('%s: its bound itself is accepted and fits a Node timer', (_f, yaml, _at, max) => {
    const result = parse(yaml(max));
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([]);
    expect(max === '7d' ? 7 * 86_400_000 : 86_400_000).toBeLessThan(LONGEST_TIMER_MS);
  });

  it('a sum of parts is bounded too (`59m3600s` is 1h59m)', () => {
    const result = parse('workers:\n  - name: w\n    start: x\n    stop_grace: 59m3600s\n');
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(['NS_MANIFEST_DURATION_RANGE']);
  });

  it('the JSON Schema and the reference say the bound', () => {
    const text = JSON.stringify(manifestJsonSchema());
    expect(text).toContain('Time between SIGTERM (to the process group) and SIGKILL. At most 1h.');
    expect(text).toContain('At most 7d.');
  });
});
