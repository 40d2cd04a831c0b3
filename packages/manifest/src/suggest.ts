/** Common names from other platforms, mapped to ours; used only when the target is allowed at that spot. */
const ALIASES: Readonly<Record<string, string>> = {
  cmd: 'command',
  run: 'start',
  instances: 'replicas',
  count: 'replicas',
  scale: 'replicas',
  environment: 'env',
  crons: 'cron',
  jobs: 'cron',
  worker: 'workers',
  secret: 'secrets',
  region: 'regions',
  cron_jobs: 'cron',
  concurrency_policy: 'overlap',
};

function normalise(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, '');
}

/** Optimal string alignment distance (Levenshtein plus adjacent swaps), which catches `shcedule`. */
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(rows - 1, cols - 1);
}

/** The candidate the user most likely meant (`replica` → `replicas`, `maxBackoff` → `max_backoff`), if any. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const alias = ALIASES[word.toLowerCase()];
  if (alias && candidates.includes(alias)) return alias;
  const wanted = normalise(word);
  const exact = candidates.find((c) => normalise(c) === wanted);
  if (exact) return exact;
  const limit = wanted.length <= 4 ? 1 : wanted.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const other = normalise(candidate);
    // The distance is at least the difference in length: skip the O(n·m) table when it cannot be close enough
    // (a 100 KB key must not cost 100 KB × every candidate).
    if (Math.abs(other.length - wanted.length) > limit) continue;
    const d = distance(wanted, other);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
