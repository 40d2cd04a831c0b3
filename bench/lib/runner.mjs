// Runs one benchmark module (the contract is described at the top of bench/run.mjs) and renders its result.
import { performance } from 'node:perf_hooks';
import { summary } from './stats.mjs';
import { formatNumber, markdownTable } from './table.mjs';

const DEFAULT_RUNS = 5;
const DEFAULT_WARMUP = 1;

/** Checks the shape of a benchmark module's default export; throws with what is wrong. */
export function checkDefinition(def, source) {
  const problems = [];
  const isCase = (c) => c && typeof c.name === 'string' && typeof c.run === 'function';
  if (!def || typeof def !== 'object') problems.push('the default export must be an object');
  else {
    if (typeof def.title !== 'string') problems.push('`title` must be a string');
    if (!isCase(def.baseline)) problems.push('`baseline` must be { name, run }');
    if (!Array.isArray(def.cases) || !def.cases.every(isCase))
      problems.push('`cases` must be a list of { name, run }');
    for (const key of ['runs', 'warmup']) {
      if (def[key] !== undefined && !(Number.isInteger(def[key]) && def[key] >= (key === 'runs' ? 1 : 0))) {
        problems.push(`\`${key}\` must be a whole number${key === 'runs' ? ' ≥ 1' : ' ≥ 0'}`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`${source}: not a benchmark: ${problems.join('; ')}`);
}

async function timeOnce(run, ctx) {
  const start = performance.now();
  const out = await run(ctx);
  const ms = performance.now() - start;
  const metrics = out && typeof out === 'object' && out.metrics ? out.metrics : {};
  return { ms, metrics };
}

/**
 * @typedef {{ name: string, baseline: boolean, median: number, min: number, max: number, ratio: number,
 *   metrics: Record<string, number> }} Row
 * @typedef {{ title: string, runs: number, warmup: number, rows: Row[] }} Result
 */

/**
 * Runs the baseline and every case `warmup` times unmeasured, then `runs` times measured. Samples of one run
 * are taken in turn (baseline, case 1, case 2, baseline, …) so slow drift on a shared machine hits all alike.
 * @param {any} def the module's default export, checked with `checkDefinition`
 * @param {{ runs?: number, warmup?: number }} [options] command-line overrides
 * @returns {Promise<Result>}
 */
export async function runBenchmark(def, options = {}) {
  const runs = options.runs ?? def.runs ?? DEFAULT_RUNS;
  const warmup = options.warmup ?? def.warmup ?? DEFAULT_WARMUP;
  const entries = [def.baseline, ...def.cases];
  const ctx = def.setup ? await def.setup() : undefined;
  try {
    const samples = entries.map(() => ({ ms: [], metrics: {} }));
    for (let round = 0; round < warmup + runs; round++) {
      for (const [i, entry] of entries.entries()) {
        const { ms, metrics } = await timeOnce(entry.run, ctx);
        if (round < warmup) continue;
        samples[i].ms.push(ms);
        for (const [name, value] of Object.entries(metrics)) (samples[i].metrics[name] ??= []).push(value);
      }
    }
    // `ratioOf` names a metric when the wall time of a run holds more than what the target is about.
    const compared = (i) =>
      (def.ratioOf ? summary(samples[i].metrics[def.ratioOf] ?? [NaN]) : summary(samples[i].ms)).median;
    const base = compared(0);
    const rows = entries.map((entry, i) => {
      const stats = summary(samples[i].ms);
      const metrics = Object.fromEntries(
        Object.entries(samples[i].metrics).map(([k, v]) => [k, summary(v).median]),
      );
      return { name: entry.name, baseline: i === 0, ...stats, ratio: compared(i) / base, metrics };
    });
    return { title: def.title, runs, warmup, rows, ratioOf: def.ratioOf ?? null };
  } finally {
    if (def.teardown) await def.teardown(ctx);
  }
}

/**
 * The result as a Markdown section: title, then case | median | min | max | × baseline | one column per metric.
 * @param {Result} result
 */
export function renderResult(result) {
  const metricNames = [...new Set(result.rows.flatMap((r) => Object.keys(r.metrics)))];
  const headers = [
    'case',
    'median ms',
    'min ms',
    'max ms',
    '× baseline',
    ...metricNames.map((m) => `${m} (median)`),
  ];
  const rows = result.rows.map((r) => [
    r.baseline ? `${r.name} (baseline)` : r.name,
    formatNumber(r.median),
    formatNumber(r.min),
    formatNumber(r.max),
    `${r.ratio.toFixed(2)}×`,
    ...metricNames.map((m) => (r.metrics[m] === undefined ? '–' : formatNumber(r.metrics[m]))),
  ]);
  const of = result.ratioOf ? `"${result.ratioOf}"` : 'median';
  const note = `${result.runs} runs after ${result.warmup} warm-up, medians; ratio = ${of} / the baseline's, same run.`;
  return `## ${result.title}\n\n${markdownTable(headers, rows)}\n\n${note}\n`;
}
