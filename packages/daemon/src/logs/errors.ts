/** Codes of the log pipeline's catalogued errors (listed in docs/errors.md, section "Logs and drains"). */
export const LOG_ERROR_CODES = [
  'NS_LOG_OPTIONS_INVALID',
  'NS_LOG_NAME_INVALID',
  'NS_LOG_ID_INVALID',
  'NS_LOG_CLOSED',
  'NS_LOG_WRITE_FAILED',
  'NS_LOG_FOLLOWER_DROPPED',
  'NS_DRAIN_URL_INVALID',
] as const;

export type LogErrorCode = (typeof LOG_ERROR_CODES)[number];

const BRAND = Symbol.for('nightshift.error');

/**
 * A catalogued error: stable `code`, a `message` saying what happened and where, a `hint` saying how to fix it.
 * Recognise it with `isLogError` (a brand, not `instanceof`, so two copies of the module still agree).
 */
export class LogError extends Error {
  readonly code: LogErrorCode;
  readonly hint: string;
  readonly [BRAND] = true;

  constructor(code: LogErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LogError';
    this.code = code;
    this.hint = hint;
  }
}

/** True for any catalogued Nightshift error carrying `code` and `hint`. */
export function isLogError(value: unknown): value is LogError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
