// Order statistics for benchmark samples.

/**
 * The median of a non-empty list of numbers (mean of the middle two for an even count).
 * @param {number[]} values
 * @returns {number}
 */
export function median(values) {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * `{ median, min, max }` of the samples.
 * @param {number[]} values
 * @returns {{ median: number, min: number, max: number }}
 */
export function summary(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The nearest-rank `p` quantile (0 < p ≤ 1) of samples already sorted ascending: the smallest sample with at
 * least a fraction `p` of the samples at or below it.
 * @param {number[]} sorted
 * @param {number} p
 * @returns {number}
 */
export function quantile(sorted, p) {
  if (sorted.length === 0) throw new Error('quantile of no values');
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
