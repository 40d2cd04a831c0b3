/** Conversions from the AppSpec's units (cores, bytes, milliseconds) to Kubernetes' (quantities, seconds). */

/** `0.5` → `500m`, `2` → `2`. Kubernetes' CPU granularity is one millicore, so anything finer rounds up. */
export function cpuQuantity(cores: number): string {
  const milli = Math.max(1, Math.ceil(cores * 1000 - 1e-9));
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

const BINARY_UNITS: readonly [string, number][] = [
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

/** `536870912` → `512Mi`; a byte count with no exact binary unit stays a plain number of bytes. */
export function memoryQuantity(bytes: number): string {
  for (const [unit, size] of BINARY_UNITS) if (bytes % size === 0) return `${bytes / size}${unit}`;
  return String(Math.ceil(bytes));
}

/** Whole seconds, rounded up, never below `min`: Kubernetes fields (probes, grace, deadlines) take integers. */
export function seconds(ms: number, min = 0): number {
  return Math.max(min, Math.ceil(ms / 1000));
}
