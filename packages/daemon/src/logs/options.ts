import { NAME_PATTERN, PROCESS_NAME_PATTERN } from '@nightshift/manifest/names';
import { LogError } from './errors.js';
import type { LogError as LogErrorType } from './errors.js';

/** Options of `createLogService` as given by the composition root. */
export interface LogServiceOptions {
  /** Where apps live (`<home>/apps`): process logs go to `<dir>/<app>/logs/`. */
  readonly dir: string;
  /** Milliseconds since the epoch; lines are stamped with it when read. Default `Date.now`. */
  readonly clock?: () => number;
  /** Size at which a process file rotates; default 10 MiB, at least 128 KiB (a record holds up to 64 KiB). */
  readonly maxFileBytes?: number;
  /** Files kept per process type, the current one included; default 5. Disk use ≤ maxFiles × maxFileBytes. */
  readonly maxFiles?: number;
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
  readonly maxFiles: number;
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
    maxFiles: options.maxFiles ?? 5,
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
    Number.isSafeInteger(config.maxFiles) && config.maxFiles >= 1,
    'maxFiles',
    'an integer ≥ 1',
    config.maxFiles,
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
