import { describe, expect, it } from 'vitest';
import { MAX_MANIFEST_BYTES } from '../src/index.js';
import { parse } from './helpers.js';

// Defect 8 of issue 22: a big or error-laden manifest must cost little and say what is wrong, never stall.

/** `count` workers in flow style, each with a bad name and an unknown key. */
function badWorkers(count: number): string {
  const lines = ['name: big', 'workers:'];
  for (let i = 0; i < count; i++) lines.push(`- {name: W${i}!, start: x, replica: 2}`);
  return lines.join('\n') + '\n';
}

function lines(head: string, count: number, line: (i: number) => string): string {
  return [head, ...Array.from({ length: count }, (_, i) => line(i))].join('\n') + '\n';
}

describe('manifest size', () => {
  it('refuses a file over 1 MiB before parsing it, with its size and the limit', () => {
    // Invalid YAML past the limit: had it been parsed, the error would be a syntax error.
    const text = 'name: big\n' + 'x'.repeat(MAX_MANIFEST_BYTES) + '\n  : [\n';
    const result = parse(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ code: 'NS_MANIFEST_TOO_LARGE', line: 1, column: 1 });
    expect(result.errors[0]?.message).toBe(
      `the manifest is ${text.length.toLocaleString('en-US')} bytes, over the limit of 1 MiB (1,048,576 bytes)`,
    );
  });

  it('counts bytes, not characters', () => {
    const comment = '# ' + 'é'.repeat(MAX_MANIFEST_BYTES / 2) + '\n';
    expect(comment.length).toBeLessThan(MAX_MANIFEST_BYTES);
    const result = parse(comment + 'workers: [{ name: w, start: x }]\n');
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(['NS_MANIFEST_TOO_LARGE']);
  });

  it('accepts a file of exactly the limit', () => {
    const head = 'workers: [{ name: w, start: x }]\n#';
    const text = head + 'x'.repeat(MAX_MANIFEST_BYTES - head.length - 1) + '\n';
    expect(text.length).toBe(MAX_MANIFEST_BYTES);
    expect(parse(text).ok).toBe(true);
  });
});

describe('many errors', () => {
  it('lists the first 100 errors in file order and counts the rest', () => {
    const result = parse(lines('workers: [{ name: w, start: x }]', 20_000, (i) => `k${i}: 1`));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(100);
    expect(result.errorsOmitted).toBe(19_900);
    expect(result.errors.map((e) => e.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
  });

  it('reports a list of 20,000 bad workers as one error: too many', () => {
    const result = parse(badWorkers(20_000));
    expect(result.ok ? [] : result.errors.map((e) => [e.line, e.column, e.code, e.message])).toEqual([
      [3, 1, 'NS_MANIFEST_INVALID_VALUE', 'workers must have at most 100 items, got 20000'],
    ]);
    // A range has no "allowed values" to pick from: the hint says the bound.
    expect(result.ok ? null : result.errors[0]?.hint).toBe(
      'list at most 100 (one manifest describes one app)',
    );
  });

  it('never throws, even with hundreds of thousands of problems', () => {
    const text = 'secrets: [' + Array<string>(400_000).fill('1').join(',') + ']\n';
    expect(text.length).toBeLessThan(MAX_MANIFEST_BYTES);
    const result = parse(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.length + result.errorsOmitted).toBe(400_000);
    // ~5 s alone; it passed the default 20 s when run beside the other unit files on a loaded machine.
  }, 60_000);

  // Each of these was quadratic (or slow per item) before: 20,000 unknown keys took 7 s, 2,000 impossible
  // schedules 3.4 s; the quadratic cases took minutes at this size.
  it.each([
    ['unknown top-level keys', (i: number) => `k${i}: 1`, 'name: big', 60_000],
    ['invalid env names', (i: number) => `  ${i}x: 1`, 'workers: [{ name: w, start: x }]\nenv:', 60_000],
    [
      'cron jobs that never fire',
      (i: number) => `- {name: c${i}, schedule: "${i % 60} 0 30 2 *", command: x}`,
      'cron:',
      15_000,
    ],
  ])(
    'reports %s in linear time',
    (_what, line, head, count) => {
      const text = lines(head, count, line);
      expect(text.length).toBeLessThan(MAX_MANIFEST_BYTES);
      // Linear means four times the input costs about four times as much; quadratic would be sixteen. The
      // quarter-size parse is the baseline measured here and now, so a busy machine slows both alike.
      const timed = (t: string) => {
        const started = performance.now();
        const result = parse(t);
        return { ms: performance.now() - started, result };
      };
      const quarter = lines(head, count / 4, line);
      const small = Math.min(timed(quarter).ms, timed(quarter).ms);
      const full = timed(text);
      const fullMs = Math.min(full.ms, timed(text).ms);
      expect(
        fullMs,
        `${count} items: ${fullMs.toFixed(0)} ms, a quarter of them: ${small.toFixed(0)} ms`,
      ).toBeLessThan(8 * small + 100);
      expect(full.result.ok).toBe(false);
    },
    60_000,
  );
});
