import { ErrorCodes, isCodedError, NightshiftError } from '@nightshift/protocol';

/** Codes of the log pipeline's catalogued errors (listed in docs/errors.md, section "Logs and drains"). */
export const LOG_ERROR_CODES = [
  ErrorCodes.logOptionsInvalid,
  ErrorCodes.logNameInvalid,
  ErrorCodes.logIdInvalid,
  ErrorCodes.logClosed,
  ErrorCodes.logWriteFailed,
  ErrorCodes.logRetentionFailed,
  ErrorCodes.logFollowerDropped,
  ErrorCodes.drainUrlInvalid,
] as const;

export type LogErrorCode = (typeof LOG_ERROR_CODES)[number];

/**
 * A catalogued error of the log pipeline: a `NightshiftError` (so it carries the one brand) whose code is one of
 * `LOG_ERROR_CODES`, which the type checks at each throw.
 */
export class LogError extends NightshiftError {
  declare readonly code: LogErrorCode;

  constructor(code: LogErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(code, message, hint, options);
    this.name = 'LogError';
  }
}

/** True for an error of ours whose code is one of the log pipeline's (by brand and code, not `instanceof`). */
export function isLogError(value: unknown): value is LogError {
  return isCodedError(value) && (LOG_ERROR_CODES as readonly string[]).includes(value.code);
}
