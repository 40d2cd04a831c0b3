import { ENV_NAME_PATTERN, isReservedEnvName } from '@nightshift/manifest/names';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';

/**
 * Largest value accepted. Linux refuses to exec with a single environment string over 128 KiB; a quarter of that
 * leaves room for the rest of the environment, and no credential or config value needs more.
 */
export const MAX_VALUE_BYTES = 32 * 1024;

export type VarKind = 'secret' | 'config';

const NAME_HINT =
  'names are letters, digits and underscores, not starting with a digit (e.g. DATABASE_URL); PORT, HEALTH_PORT, METRICS_PORT, NIGHTSHIFT_* (and REDIS_URL with `redis: true`) are set by Nightshift';

/**
 * Checks a config var or secret name. A secret's invalid name is never echoed: the usual way to get one wrong
 * is to paste the value where the name goes (`secrets set postgres://…`).
 */
export function checkName(kind: VarKind, name: string, redis: boolean): void {
  const code = kind === 'secret' ? ErrorCodes.secretNameInvalid : ErrorCodes.configNameInvalid;
  if (!ENV_NAME_PATTERN.test(name)) {
    const shown = kind === 'secret' ? 'a secret name given' : `"${name}"`;
    throw new NightshiftError(code, `${shown} is not a valid environment variable name`, NAME_HINT);
  }
  if (isReservedEnvName(name, redis)) {
    throw new NightshiftError(
      code,
      `${name} is set by Nightshift itself and cannot be a ${kind === 'secret' ? 'secret' : 'config var'}`,
      NAME_HINT,
    );
  }
}

/** Checks a value: no NUL (an environment cannot carry it), not over `MAX_VALUE_BYTES`, a secret not empty. */
export function checkValue(kind: VarKind, name: string, value: string): void {
  const code = kind === 'secret' ? ErrorCodes.secretValueInvalid : ErrorCodes.configValueInvalid;
  if (kind === 'secret' && value === '') {
    throw new NightshiftError(
      code,
      `the value given for secret ${name} is empty`,
      `pipe the value in (\`printf %s "$VALUE" | nightshift secrets set ${name}\`); to delete it, \`nightshift secrets rm ${name}\``,
    );
  }
  if (value.includes('\0')) {
    throw new NightshiftError(
      code,
      `the value of ${name} contains a NUL character, which no environment variable can hold`,
      'remove it (binary data: store it base64-encoded)',
    );
  }
  const bytes = Buffer.byteLength(value);
  if (bytes > MAX_VALUE_BYTES) {
    throw new NightshiftError(
      code,
      `the value of ${name} has ${bytes} bytes; the limit is ${MAX_VALUE_BYTES}`,
      'keep large data in a file of the release or a store the app reads; keep its location or key here',
    );
  }
}
