import { ErrorCodes, NightshiftError } from './errors.js';
import type { ScaleRequest } from './types.js';

/** Parses `emails=4`, `emails+2`, `emails-1` (Heroku's `ps:scale` forms). */
export function parseScaleArg(arg: string): ScaleRequest['changes'][number] {
  // The manifest's process names (PROCESS_NAME_PATTERN): letters, digits, '-' and '_'.
  const m = /^([A-Za-z][A-Za-z0-9_-]{0,39})([=+-])(\d{1,4})$/.exec(arg);
  if (!m) {
    throw new NightshiftError(
      ErrorCodes.scaleInvalid,
      `cannot read "${arg}" as a scale change`,
      'write PROCESS=N, PROCESS+N or PROCESS-N, e.g. `nightshift scale emails=4 events+1`',
    );
  }
  return { process: m[1]!, op: m[2] as '=' | '+' | '-', count: Number(m[3]) };
}
