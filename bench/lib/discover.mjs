// Finds `bench/<name>.bench.mjs` files.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const benchDir = new URL('../', import.meta.url);
const SUFFIX = '.bench.mjs';

/** Benchmark names (file names without `.bench.mjs`), sorted. */
export function listBenchmarks(dir = benchDir) {
  return readdirSync(fileURLToPath(dir))
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

export function benchmarkUrl(name, dir = benchDir) {
  return new URL(`${name}${SUFFIX}`, dir);
}
