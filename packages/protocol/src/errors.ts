/**
 * The error catalogue shared by the daemon (which raises), the API (which serialises) and the CLI (which maps
 * codes to exit status). docs/errors.md lists every code with its meaning and fix.
 */
export const ErrorCodes = {
  internal: 'NS_INTERNAL',
  usage: 'NS_USAGE',
  unauthorized: 'NS_API_UNAUTHORIZED',
  notFound: 'NS_API_NOT_FOUND',
  badRequest: 'NS_API_BAD_REQUEST',
  apiBodyTooLarge: 'NS_API_BODY_TOO_LARGE',
  daemonNotRunning: 'NS_DAEMON_NOT_RUNNING',
  daemonAlreadyRunning: 'NS_DAEMON_ALREADY_RUNNING',
  daemonStartFailed: 'NS_DAEMON_START_FAILED',
  daemonPortInUse: 'NS_DAEMON_PORT_IN_USE',
  daemonConfigInvalid: 'NS_DAEMON_CONFIG_INVALID',
  homeUnsafe: 'NS_HOME_UNSAFE',
  appNotFound: 'NS_APP_NOT_FOUND',
  appUnspecified: 'NS_APP_UNSPECIFIED',
  processNotFound: 'NS_PROCESS_NOT_FOUND',
  scaleInvalid: 'NS_SCALE_INVALID',
  manifestInvalid: 'NS_MANIFEST_INVALID',
  buildFailed: 'NS_BUILD_FAILED',
  snapshotFailed: 'NS_SNAPSHOT_FAILED',
  noRelease: 'NS_NO_RELEASE',
  deployStartFailed: 'NS_DEPLOY_START_FAILED',
  envTooLarge: 'NS_ENV_TOO_LARGE',
  replicaLimit: 'NS_REPLICA_LIMIT',
  deployInProgress: 'NS_DEPLOY_IN_PROGRESS',
  confirmMismatch: 'NS_CONFIRM_MISMATCH',
  apiLocalOnly: 'NS_API_LOCAL_ONLY',
  secretsKeyInvalid: 'NS_SECRETS_KEY_INVALID',
  secretsKeyUnsafe: 'NS_SECRETS_KEY_UNSAFE',
  secretsKeyMismatch: 'NS_SECRETS_KEY_MISMATCH',
  secretsKeyFromEnv: 'NS_SECRETS_KEY_FROM_ENV',
  secretDecryptFailed: 'NS_SECRET_DECRYPT_FAILED',
  secretNameInvalid: 'NS_SECRET_NAME_INVALID',
  secretValueInvalid: 'NS_SECRET_VALUE_INVALID',
  secretNotFound: 'NS_SECRET_NOT_FOUND',
  secretInUse: 'NS_SECRET_IN_USE',
  secretConfigConflict: 'NS_SECRET_CONFIG_CONFLICT',
  configNameInvalid: 'NS_CONFIG_NAME_INVALID',
  configValueInvalid: 'NS_CONFIG_VALUE_INVALID',
  configNotFound: 'NS_CONFIG_NOT_FOUND',
  deploySecretsMissing: 'NS_DEPLOY_SECRETS_MISSING',
  cronJobNotFound: 'NS_CRON_JOB_NOT_FOUND',
  cronRunNotFound: 'NS_CRON_RUN_NOT_FOUND',
  cronOverlap: 'NS_CRON_OVERLAP',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** The body of every failed API response. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly hint: string };
}

/** HTTP status for an error code; anything unknown is a 500. */
export function statusOf(code: string): number {
  switch (code) {
    case ErrorCodes.unauthorized:
      return 401;
    case ErrorCodes.notFound:
    case ErrorCodes.appNotFound:
    case ErrorCodes.processNotFound:
    case ErrorCodes.noRelease:
    case ErrorCodes.secretNotFound:
    case ErrorCodes.configNotFound:
      return 404;
    case ErrorCodes.apiLocalOnly:
      return 403;
    case ErrorCodes.apiBodyTooLarge:
      return 413;
    case ErrorCodes.secretInUse:
    case ErrorCodes.secretConfigConflict:
      return 409;
    case ErrorCodes.secretDecryptFailed:
    case ErrorCodes.secretsKeyMismatch:
      return 500;
    case ErrorCodes.deployInProgress:
    case ErrorCodes.cronOverlap:
      return 409;
    case ErrorCodes.cronJobNotFound:
    case ErrorCodes.cronRunNotFound:
      return 404;
    case ErrorCodes.internal:
      return 500;
    default:
      return 400;
  }
}

/** An error that carries a catalogue code and a hint. Recognise it by `isCodedError`, never `instanceof`. */
export class NightshiftError extends Error {
  readonly code: string;
  readonly hint: string;
  readonly details: unknown;
  constructor(code: string, message: string, hint = '', options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NightshiftError';
    this.code = code;
    this.hint = hint;
    this.details = options?.details;
  }
}

export function isCodedError(err: unknown): err is { code: string; message: string; hint?: string } {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (err as { code: string }).code.startsWith('NS_') &&
    typeof (err as { message?: unknown }).message === 'string'
  );
}

export function toErrorBody(err: unknown): ErrorBody {
  if (isCodedError(err)) return { error: { code: err.code, message: err.message, hint: err.hint ?? '' } };
  const message = err instanceof Error ? err.message : String(err);
  return { error: { code: ErrorCodes.internal, message, hint: "see the daemon's log (NIGHTSHIFT_HOME/daemon.log)" } };
}
