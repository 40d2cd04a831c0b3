import { NightshiftError } from '@nightshift/protocol';

/** A failure the CLI reports as `{ code, message, hint }` with its own exit status (a branded NightshiftError). */
export class CliError extends NightshiftError {
  readonly exitCode: number;
  constructor(code: string, message: string, hint = '', exitCode = 1) {
    super(code, message, hint);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

interface Coded {
  code?: unknown;
  message?: unknown;
  hint?: unknown;
  exitCode?: unknown;
}

/** Codes that mean the command line itself was wrong. */
const USAGE_CODES = new Set(['NS_USAGE', 'NS_SCALE_INVALID', 'NS_APP_UNSPECIFIED', 'NS_USAGE_RANGE_INVALID']);

/** Usage errors exit 2, everything else 1. Identified by code, not instanceof (STYLE 5). */
export function exitCodeOf(err: unknown): number {
  const e = err as Coded | null;
  if (e && typeof e.exitCode === 'number') return e.exitCode;
  if (e && typeof e.code === 'string' && USAGE_CODES.has(e.code)) return 2;
  return 1;
}

export function printError(err: unknown): void {
  const e = (err ?? {}) as Coded;
  const code = typeof e.code === 'string' ? e.code : 'NS_INTERNAL';
  const message = typeof e.message === 'string' ? e.message : String(err);
  process.stderr.write(`error ${code}: ${message}\n`);
  if (typeof e.hint === 'string' && e.hint) process.stderr.write(`  hint: ${e.hint}\n`);
}

/** Writes JSON data to stdout (data on stdout, messages on stderr). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
