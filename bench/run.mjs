#!/usr/bin/env node
// `npm run bench [NAME…] [-- --runs N --warmup N]`: runs bench/<NAME>.bench.mjs (all of them without a name),
// prints a Markdown table per benchmark and keeps the last result in bench/results/<NAME>.{md,json}.
//
// A benchmark module's default export:
//   { title, runs?: number (5), warmup?: number (1), setup?: async () => ctx, teardown?: async (ctx) => void,
//     baseline: { name, run: async (ctx) => void | { metrics?: Record<string, number> } },
//     cases: [{ name, run }] }
// Each `run` is timed (wall ms); the table shows median, min and max over the measured runs, the ratio of each
// median to the baseline's (measured in the same invocation), and one column per reported metric (median).
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchDir, benchmarkUrl, listBenchmarks } from './lib/discover.mjs';
import { checkDefinition, renderResult, runBenchmark } from './lib/runner.mjs';

function usage(message) {
  process.stderr.write(`${message}\nusage: npm run bench [NAME…] [-- --runs N] [--warmup N]\n`);
  process.stderr.write(`benchmarks: ${listBenchmarks().join(', ') || '(none)'}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { runs: { type: 'string' }, warmup: { type: 'string' }, list: { type: 'boolean' } },
  });
} catch (err) {
  usage(err.message);
}
if (args.values.list) {
  process.stdout.write(listBenchmarks().join('\n') + '\n');
  process.exit(0);
}
const count = (name) => {
  const text = args.values[name];
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < (name === 'runs' ? 1 : 0)) usage(`--${name} must be a whole number`);
  return n;
};
const options = { runs: count('runs'), warmup: count('warmup') };

const known = listBenchmarks();
const names = args.positionals.length > 0 ? args.positionals : known;
const unknown = names.filter((n) => !known.includes(n));
if (unknown.length > 0) usage(`no benchmark named ${unknown.join(', ')}`);

const resultsDir = new URL('results/', benchDir);
mkdirSync(resultsDir, { recursive: true });
let failed = 0;
for (const name of names) {
  try {
    const { default: def } = await import(benchmarkUrl(name).href);
    checkDefinition(def, `bench/${name}.bench.mjs`);
    process.stderr.write(`running ${name}…\n`);
    const result = await runBenchmark(def, options);
    const markdown = renderResult(result);
    process.stdout.write(`${markdown}\n`);
    writeFileSync(new URL(`${name}.md`, resultsDir), markdown);
    writeFileSync(
      new URL(`${name}.json`, resultsDir),
      JSON.stringify({ name, at: new Date().toISOString(), node: process.version, ...result }, null, 2) +
        '\n',
    );
  } catch (err) {
    failed++;
    process.stderr.write(`bench ${name} failed: ${err?.stack ?? err}\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
