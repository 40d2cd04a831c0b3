/**
 * Unit parsers shared by the schema, the compiler and other packages (CLI flags such as `--since 10m`).
 * The `try…` forms return null on bad input; the exported `parse…` forms throw a coded error.
 */

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Milliseconds for `500ms`, `10s`, `5m`, `1h`, `1d` or a sum such as `1h30m`; null when malformed. */
export function tryParseDuration(text: string): number | null {
  const source = text.trim();
  if (source === '') return null;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  while (DURATION_PART.lastIndex < source.length) {
    const match = DURATION_PART.exec(source);
    if (!match) return null;
    total += Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : null;
}

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)$/;

/**
 * Bytes for `512Mi`, `1Gi`, `500M`…; null when malformed or zero. A bare number is refused on purpose:
 * `memory: 512` is far more often a forgotten `Mi` than a 512-byte limit.
 */
export function tryParseMemory(text: string): number | null {
  const match = MEMORY.exec(text.trim());
  if (!match) return null;
  const bytes = Math.round(Number(match[1]) * (MEMORY_UNITS[match[2] ?? ''] ?? Number.NaN));
  return bytes > 0 ? bytes : null;
}

// Sizes of stored data (log retention) also take the `B` people write for bytes: `100Mi`, `1GiB`, `500MB`.
const SIZE = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)B?$/;

/** Bytes for `100Mi`, `1GiB`, `500MB`…; null when malformed or zero. A bare number is refused, as for memory. */
export function tryParseSize(text: string): number | null {
  const match = SIZE.exec(text.trim());
  if (!match) return null;
  const bytes = Math.round(Number(match[1]) * (MEMORY_UNITS[match[2] ?? ''] ?? Number.NaN));
  return bytes > 0 ? bytes : null;
}

const MILLICORES = /^(\d+)m$/;
const CORES = /^\d+(?:\.\d+)?$/;

/** Cores for `0.5`, `2`, `"0.5"` or `500m`; null when malformed or below one millicore. */
export function tryParseCpu(value: string | number): number | null {
  let cores: number;
  if (typeof value === 'number') cores = value;
  else {
    const text = value.trim();
    const milli = MILLICORES.exec(text);
    if (milli) cores = Number(milli[1]) / 1000;
    else if (CORES.test(text)) cores = Number(text);
    else return null;
  }
  return Number.isFinite(cores) && cores >= 0.001 ? cores : null;
}

/** Thrown by the `parse…` helpers; identified by `code` (STYLE 5). */
export interface UnitError extends Error {
  readonly code:
    | 'NS_MANIFEST_INVALID_DURATION'
    | 'NS_MANIFEST_INVALID_MEMORY'
    | 'NS_MANIFEST_INVALID_SIZE'
    | 'NS_MANIFEST_INVALID_CPU';
  readonly hint: string;
}

function unitError(code: UnitError['code'], message: string, hint: string): UnitError {
  return Object.assign(new Error(message), { name: 'UnitError', code, hint });
}

/**
 * Parses a duration into milliseconds.
 * @example parseDuration('10s') // 10000
 * @throws {UnitError} `NS_MANIFEST_INVALID_DURATION`
 */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text);
  if (ms === null) {
    throw unitError(
      'NS_MANIFEST_INVALID_DURATION',
      `"${text}" is not a duration`,
      'write e.g. 500ms, 10s, 5m, 1h, 1d',
    );
  }
  return ms;
}

/**
 * Parses a memory size into bytes.
 * @example parseMemory('512Mi') // 536870912
 * @throws {UnitError} `NS_MANIFEST_INVALID_MEMORY`
 */
export function parseMemory(text: string): number {
  const bytes = tryParseMemory(text);
  if (bytes === null) {
    throw unitError(
      'NS_MANIFEST_INVALID_MEMORY',
      `"${text}" is not a memory size`,
      'write e.g. 512Mi, 1Gi, 500M',
    );
  }
  return bytes;
}

/**
 * Parses a size of stored data into bytes.
 * @example parseSize('1GiB') // 1073741824
 * @throws {UnitError} `NS_MANIFEST_INVALID_SIZE`
 */
export function parseSize(text: string): number {
  const bytes = tryParseSize(text);
  if (bytes === null) {
    throw unitError('NS_MANIFEST_INVALID_SIZE', `"${text}" is not a size`, 'write e.g. 100Mi, 1GiB, 500MB');
  }
  return bytes;
}

/**
 * Parses a CPU amount into cores.
 * @example parseCpu('500m') // 0.5
 * @throws {UnitError} `NS_MANIFEST_INVALID_CPU`
 */
export function parseCpu(value: string | number): number {
  const cores = tryParseCpu(value);
  if (cores === null) {
    throw unitError(
      'NS_MANIFEST_INVALID_CPU',
      `"${value}" is not a CPU amount`,
      'write cores (0.5, 2) or millicores (500m)',
    );
  }
  return cores;
}

/** A byte count in the largest binary unit that keeps it readable: 524288000 → `500Mi`, 1536 → `1.5Ki`. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))}${unit}`;
  }
  return `${bytes}B`;
}

/** The shortest manifest notation for a whole number of milliseconds: 300000 → `5m`, 1500 → `1500ms`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = DURATION_UNITS[unit] ?? 1;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
