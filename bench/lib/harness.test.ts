import { describe, expect, it } from 'vitest';
import { checkDefinition, renderResult, runBenchmark } from './runner.mjs';
import { median, quantile, summary } from './stats.mjs';
import { formatNumber, markdownTable } from './table.mjs';

describe('stats', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const input = [5, 1, 3];
    expect(median(input)).toBe(3);
    expect(input).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summary([7, 2, 9, 4])).toEqual({ median: 5.5, min: 2, max: 9 });
    expect(() => median([])).toThrow();
  });

  it('takes nearest-rank quantiles of sorted samples', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(hundred, 0.5)).toBe(50);
    expect(quantile(hundred, 0.95)).toBe(95);
    expect(quantile(hundred, 0.99)).toBe(99);
    expect(quantile(hundred, 1)).toBe(100);
    expect(quantile([4, 8, 15], 0.5)).toBe(8);
    expect(quantile([7], 0.01)).toBe(7);
    expect(() => quantile([], 0.5)).toThrow();
  });
});

describe('table', () => {
  it('pads columns and right-aligns numbers', () => {
    expect(
      markdownTable(
        ['case', 'ms'],
        [
          ['a', '1.5'],
          ['longer', '12'],
        ],
      ),
    ).toBe(['| case   |  ms |', '| ------ | --: |', '| a      | 1.5 |', '| longer |  12 |'].join('\n'));
  });

  it('formats numbers by size', () => {
    expect([14, 1234.5, 12.345, 1.2345, 0.012345].map(formatNumber)).toEqual([
      '14',
      '1235',
      '12.3',
      '1.23',
      '0.0123',
    ]);
  });
});

describe('runBenchmark', () => {
  it('warms up, then measures baseline and cases in turn, with setup and teardown once', async () => {
    const calls: string[] = [];
    let tornDown: unknown;
    const result = await runBenchmark({
      title: 'fake',
      runs: 3,
      warmup: 2,
      setup: () => Promise.resolve({ id: 'ctx' }),
      teardown: (ctx: unknown) => {
        tornDown = ctx;
      },
      baseline: { name: 'base', run: () => void calls.push('base') },
      cases: [
        {
          name: 'a',
          run: (ctx: { id: string }) => {
            calls.push(`a:${ctx.id}`);
            return { metrics: { items: calls.length } };
          },
        },
      ],
    });
    expect(calls).toEqual(Array(5).fill(['base', 'a:ctx']).flat());
    expect(tornDown).toEqual({ id: 'ctx' });
    expect(result).toMatchObject({ title: 'fake', runs: 3, warmup: 2 });
    const base = result.rows[0]!;
    const a = result.rows[1]!;
    expect(base).toMatchObject({ name: 'base', baseline: true, ratio: 1, metrics: {} });
    // Measured rounds are 3..5; case a saw calls.length 6, 8, 10 there.
    expect(a).toMatchObject({ name: 'a', baseline: false, metrics: { items: 8 } });
    expect(a.min).toBeLessThanOrEqual(a.median);
    expect(a.median).toBeLessThanOrEqual(a.max);
    expect(a.ratio).toBeCloseTo(a.median / base.median);
  });

  it('compares a named metric instead of the wall time when the module says `ratioOf`', async () => {
    const def = {
      title: 'of',
      ratioOf: 'to running ms',
      baseline: { name: 'base', run: () => ({ metrics: { 'to running ms': 100 } }) },
      cases: [{ name: 'a', run: () => ({ metrics: { 'to running ms': 150 } }) }],
    };
    const result = await runBenchmark(def, { runs: 3, warmup: 0 });
    expect(result.rows[1]!.ratio).toBeCloseTo(1.5);
    expect(renderResult(result)).toContain('ratio = "to running ms" / the baseline\'s');
  });

  it('lets options override the module, and tears down after a failing case', async () => {
    let tornDown = false;
    const def = {
      title: 'boom',
      teardown: () => {
        tornDown = true;
      },
      baseline: { name: 'base', run: () => {} },
      cases: [{ name: 'bad', run: () => Promise.reject(new Error('boom')) }],
    };
    await expect(runBenchmark(def, { runs: 1, warmup: 0 })).rejects.toThrow('boom');
    expect(tornDown).toBe(true);
  });
});

describe('checkDefinition', () => {
  it('accepts the contract and names what is wrong otherwise', () => {
    const ok = { title: 't', baseline: { name: 'b', run: () => {} }, cases: [] };
    expect(() => checkDefinition(ok, 'x')).not.toThrow();
    expect(() => checkDefinition({ ...ok, cases: [{ name: 'c' }] }, 'bench/x.bench.mjs')).toThrow(
      'bench/x.bench.mjs: not a benchmark: `cases` must be a list of { name, run }',
    );
    expect(() => checkDefinition({ ...ok, runs: 0 }, 'x')).toThrow('`runs` must be a whole number ≥ 1');
    expect(() => checkDefinition(undefined, 'x')).toThrow('the default export must be an object');
  });
});

describe('renderResult', () => {
  it('prints a titled table with the ratio and one column per metric', () => {
    const text = renderResult({
      title: 'T',
      runs: 5,
      warmup: 1,
      rows: [
        { name: 'base', baseline: true, median: 10, min: 9, max: 12, ratio: 1, metrics: { kB: 64 } },
        { name: 'fast', baseline: false, median: 5, min: 4.5, max: 6, ratio: 0.5, metrics: {} },
      ],
    });
    expect(text).toContain('## T\n');
    expect(text).toContain('| case            | median ms | min ms | max ms | × baseline | kB (median) |');
    expect(text).toContain('| base (baseline) |        10 |      9 |     12 |      1.00× |          64 |');
    expect(text).toContain('| fast            |         5 |   4.50 |      6 |      0.50× |           – |');
    expect(text).toContain('5 runs after 1 warm-up');
  });
});
