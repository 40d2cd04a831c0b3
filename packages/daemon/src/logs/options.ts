import { MIN_LOG_RETAIN_BYTES, NAME_PATTERN, PROCESS_NAME_PATTERN } from '@nightshift/manifest/names';
import { LogError } from './errors.js';
import type { LogError as LogErrorType } from './errors.js';

/** Options of `createLogService` as given by the composition root. */
export interface LogServiceOptions {
  /** Where apps live (`<home>/apps`): process logs go to `<dir>/<app>/logs/`. */
  readonly dir: string;
  /** Milliseconds since the epoch; lines are stamped with it when read. Default `Date.now`. */
  readonly clock?: () => number;
  /**
   * Size at which a process file rotates; default 10 MiB, at least 128 KiB (a record holds up to 64 KiB). An
   * app whose retention is small rotates sooner: at an eighth of its `retainBytes`, so it keeps several segments.
   */
  readonly maxFileBytes?: number;
  /** Files kept per process type, the current one included; default null: no count, retention is by size and age. */
  readonly maxFiles?: number | null;
  /** Bytes an app's log files may hold, unless the app sets its own; default 500 MiB, at least 1 MiB. */
  readonly retainBytes?: number;
  /** Segments whose newest line is older than this are removed, unless the app sets its own; default null: none. */
  readonly maxAgeMs?: number | null;
  /** Bytes the logs of all apps together may hold; default 10 GiB; null: no total cap. */
  readonly totalCapBytes?: number | null;
  /** Compress rotated segments with gzip; default true. */
  readonly compress?: boolean;
  /** Bytes stored per run log before it is cut with a marker line; default 5 MiB. */
  readonly runLogCapBytes?: number;
  /** Told about write failures (the daemon turns them into events); capture pauses and retries meanwhile. */
  readonly onError?: (error: LogErrorType) => void;
  /**
   * Called after every 4 MiB read from pipes. Each pipe read is a fresh 64 KiB buffer that V8 reclaims only
   * once many of them piled up; a young-generation collection here frees them early (docs/logs.md has
   * the numbers), for well under a millisecond per call. Default: a minor GC when the daemon runs with `--expose-gc`,
   * else nothing.
   */
  readonly collectGarbage?: (() => void) | null;
}

/** The complete, checked form of `LogServiceOptions`. */
export interface LogServiceConfig {
  readonly dir: string;
  readonly clock: () => number;
  readonly maxFileBytes: number;
  readonly maxFiles: number | null;
  readonly retainBytes: number;
  readonly maxAgeMs: number | null;
  readonly totalCapBytes: number | null;
  readonly compress: boolean;
  readonly runLogCapBytes: number;
  readonly onError: (error: LogErrorType) => void;
  readonly collectGarbage: (() => void) | null;
}

const MiB = 1024 * 1024;

/** Applies defaults and rejects values that cannot work, with `NS_LOG_OPTIONS_INVALID`. */
export function parseLogServiceOptions(options: LogServiceOptions): LogServiceConfig {
  const config: LogServiceConfig = {
    dir: options.dir,
    clock: options.clock ?? Date.now,
    maxFileBytes: options.maxFileBytes ?? 10 * MiB,
    maxFiles: options.maxFiles ?? null,
    retainBytes: options.retainBytes ?? 500 * MiB,
    maxAgeMs: options.maxAgeMs ?? null,
    totalCapBytes: options.totalCapBytes === undefined ? 10 * 1024 * MiB : options.totalCapBytes,
    compress: options.compress ?? true,
    runLogCapBytes: options.runLogCapBytes ?? 5 * MiB,
    onError: options.onError ?? (() => {}),
    collectGarbage: options.collectGarbage === undefined ? defaultCollector() : options.collectGarbage,
  };
  check(typeof config.dir === 'string' && config.dir !== '', 'dir', 'a directory path', config.dir);
  check(
    Number.isSafeInteger(config.maxFileBytes) && config.maxFileBytes >= 128 * 1024,
    'maxFileBytes',
    'an integer ≥ 131072 (128 KiB)',
    config.maxFileBytes,
  );
  check(
    config.maxFiles === null || (Number.isSafeInteger(config.maxFiles) && config.maxFiles >= 1),
    'maxFiles',
    'an integer ≥ 1, or null',
    config.maxFiles,
  );
  check(
    Number.isSafeInteger(config.retainBytes) && config.retainBytes >= MIN_LOG_RETAIN_BYTES,
    'retainBytes',
    `an integer ≥ ${MIN_LOG_RETAIN_BYTES} (1 MiB)`,
    config.retainBytes,
  );
  check(
    config.maxAgeMs === null || (Number.isSafeInteger(config.maxAgeMs) && config.maxAgeMs > 0),
    'maxAgeMs',
    'a number of milliseconds > 0, or null',
    config.maxAgeMs,
  );
  check(
    config.totalCapBytes === null ||
      (Number.isSafeInteger(config.totalCapBytes) && config.totalCapBytes >= MIN_LOG_RETAIN_BYTES),
    'totalCapBytes',
    `an integer ≥ ${MIN_LOG_RETAIN_BYTES} (1 MiB), or null`,
    config.totalCapBytes,
  );
  check(
    Number.isSafeInteger(config.runLogCapBytes) && config.runLogCapBytes >= 1024,
    'runLogCapBytes',
    'an integer ≥ 1024',
    config.runLogCapBytes,
  );
  return config;
}

function defaultCollector(): (() => void) | null {
  const gc = globalThis.gc;
  return gc === undefined ? null : () => void gc({ type: 'minor' });
}

function check(ok: boolean, name: string, expected: string, got: unknown): void {
  if (!ok) {
    throw new LogError(
      'NS_LOG_OPTIONS_INVALID',
      `log service option ${name} is ${JSON.stringify(got)}; expected ${expected}`,
      `fix ${name} in the daemon's configuration (logs section)`,
    );
  }
}

/** App and process names become file names: only the manifest's name shapes are accepted. */
export function checkName(kind: 'app' | 'process', name: string): void {
  const shape = kind === 'app' ? NAME_PATTERN : PROCESS_NAME_PATTERN;
  if (!shape.test(name)) {
    throw new LogError(
      'NS_LOG_NAME_INVALID',
      `${kind} name ${JSON.stringify(name)} cannot name a log file`,
      `use a name matching ${shape.source}, as the manifest requires`,
    );
  }
}

/** A source is stored between tabs: it must be non-empty and free of tabs and newlines. */
export function checkSource(source: string): void {
  if (source === '' || /[\t\n\r]/.test(source)) {
    throw new LogError(
      'NS_LOG_NAME_INVALID',
      `log source ${JSON.stringify(source)} is empty or contains a tab or newline`,
      'use a source like emails.2, cron:nightly#41 or build:v3',
    );
  }
}

/** Parses an id given back by a client (SSE Last-Event-ID). */
export function parseId(id: string): number {
  const seq = /^\d{1,15}$/.test(id) ? Number(id) : NaN;
  if (Number.isNaN(seq)) {
    throw new LogError(
      'NS_LOG_ID_INVALID',
      `log id ${JSON.stringify(id)} is not a log line id`,
      'pass back an id exactly as a log line carried it',
    );
  }
  return seq;
}
