import { ErrorCodes } from './catalogue.js';

export { ERROR_CATALOGUE, ErrorCodes, declaredError, statusOf, type ErrorCode } from './catalogue.js';

/** The body of every failed API response. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly hint: string };
}

/**
 * The brand of our errors. A registered symbol, so an error made by another copy of this package (a second
 * bundle, another version) is still recognised, which `instanceof` would not do (STYLE 5).
 */
const BRAND = Symbol.for('nightshift.error');

/**
 * An error that carries a catalogue code and a hint. Subclasses (the CLI's `CliError`, the log pipeline's
 * `LogError`) inherit the brand. Recognise any of them with `isCodedError`, never `instanceof`.
 */
export class NightshiftError extends Error {
  readonly code: string;
  readonly hint: string;
  readonly details: unknown;
  readonly [BRAND] = true;
  constructor(code: string, message: string, hint = '', options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NightshiftError';
    this.code = code;
    this.hint = hint;
    this.details = options?.details;
  }
}

/** True for an error of ours (any copy, any subclass): the one way to recognise them. */
export function isCodedError(err: unknown): err is NightshiftError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
}

export function toErrorBody(err: unknown): ErrorBody {
  if (isCodedError(err)) return { error: { code: err.code, message: err.message, hint: err.hint } };
  const message = err instanceof Error ? err.message : String(err);
  return {
    error: { code: ErrorCodes.internal, message, hint: "see the daemon's log (NIGHTSHIFT_HOME/daemon.log)" },
  };
}
