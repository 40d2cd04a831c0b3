import { ErrorCodes, NightshiftError } from '@nightshift/protocol';

/** The codes the scheduler raises (docs/errors.md, section Cron). */
export const CRON_ERROR_CODES = [
  ErrorCodes.cronJobNotFound,
  ErrorCodes.cronRunNotFound,
  ErrorCodes.cronOverlap,
  ErrorCodes.cronNotRunning,
] as const;

/** NS_CRON_NOT_RUNNING: `cron cancel` of a job with no run running or waiting. */
export function notRunning(app: string, job: string): NightshiftError {
  return new NightshiftError(
    ErrorCodes.cronNotRunning,
    `${app}/${job} has no run running or waiting to start: nothing to cancel`,
    `its last runs are in \`nightshift cron history ${job}\``,
  );
}

/** NS_CRON_JOB_NOT_FOUND, naming the jobs the app has. */
export function jobNotFound(app: string, job: string, known: readonly string[]): NightshiftError {
  return new NightshiftError(
    ErrorCodes.cronJobNotFound,
    `app "${app}" has no cron job "${job}" in its live release`,
    known.length
      ? `its cron jobs are: ${known.join(', ')} (\`nightshift cron ls\`)`
      : 'its manifest declares no `cron` jobs',
  );
}

/** NS_CRON_RUN_NOT_FOUND. */
export function runNotFound(app: string, id: string): NightshiftError {
  return new NightshiftError(
    ErrorCodes.cronRunNotFound,
    `app "${app}" has no cron run ${id}`,
    "run ids are in `nightshift cron history NAME`; old runs are removed by the job's `history` retention",
  );
}

/** NS_CRON_OVERLAP: a Run now the overlap policy refuses. */
export function overlapRefused(
  app: string,
  job: string,
  reason: 'overlap' | 'queued',
  active: readonly number[],
): NightshiftError {
  const what =
    reason === 'overlap'
      ? `run ${active.join(', ')} of ${app}/${job} is still running and its overlap policy is forbid`
      : `run ${active.join(', ')} of ${app}/${job} already waits to start`;
  return new NightshiftError(
    ErrorCodes.cronOverlap,
    `not started: ${what}`,
    'wait for it to end, or start one anyway with `nightshift cron run NAME --force`',
  );
}
