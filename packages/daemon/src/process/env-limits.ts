import { ErrorCodes, NightshiftError } from '@nightshift/protocol';

/**
 * Linux refuses to exec (E2BIG) when one `NAME=value` string is 128 KiB or more (MAX_ARG_STRLEN), or when
 * the argument and environment strings together pass a limit derived from the stack size (2 MiB with the
 * usual 8 MiB stack). Checked at deploy, so a release that could never start is refused with the name of
 * the variable instead of being switched to and failing every spawn.
 */
export const MAX_VAR_BYTES = 128 * 1024 - 1;
/** Half the usual kernel total: room for a larger argv and for what a shell wrapper adds. */
export const MAX_ENV_BYTES = 1024 * 1024;

/** Throws NS_ENV_TOO_LARGE naming the largest variables; `where` names the process (`emails`, `cron nightly`). */
export function checkEnvSize(
  app: string,
  where: string,
  env: Readonly<Record<string, string>>,
  argv: readonly string[],
): void {
  const sizes = Object.entries(env).map(([name, value]) => ({
    name,
    bytes: Buffer.byteLength(name) + 1 + Buffer.byteLength(value) + 1,
  }));
  const tooLong = sizes.filter((s) => s.bytes > MAX_VAR_BYTES);
  if (tooLong.length > 0) {
    throw new NightshiftError(
      ErrorCodes.envTooLarge,
      `${app}: the environment of ${where} cannot be passed to a process: ${tooLong.map((s) => `${s.name} is ${human(s.bytes)}`).join(', ')} (one variable must stay under ${human(MAX_VAR_BYTES + 1)}, the Linux limit)`,
      'keep large data out of the environment: put it in a file of the release (or a volume) and pass its path in the variable',
    );
  }
  const total =
    sizes.reduce((sum, s) => sum + s.bytes, 0) + argv.reduce((sum, a) => sum + Buffer.byteLength(a) + 1, 0);
  if (total > MAX_ENV_BYTES) {
    const largest = sizes.sort((a, b) => b.bytes - a.bytes).slice(0, 3);
    throw new NightshiftError(
      ErrorCodes.envTooLarge,
      `${app}: the environment of ${where} is ${human(total)}, over the ${human(MAX_ENV_BYTES)} a process may be started with; the largest variables: ${largest.map((s) => `${s.name} (${human(s.bytes)})`).join(', ')}`,
      'move large values into files of the release and pass their paths; `nightshift config ls` shows the config vars',
    );
  }
}

function human(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
