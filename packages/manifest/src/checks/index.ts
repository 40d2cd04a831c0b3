import type { Finding } from '../finding.js';
import type { CheckContext } from './context.js';
import { checkCron } from './cron.js';
import { checkEnvironment, checkSomethingRuns } from './env.js';
import { checkNames } from './names.js';
import { checkPortRanges } from './port-ranges.js';
import { checkProcesses } from './processes.js';

export type { CheckContext } from './context.js';

/** Every rule that relates several fields. Each check tolerates any shape, so all of them run on every file. */
export function crossFieldFindings(ctx: CheckContext): Finding[] {
  return [
    ...checkNames(ctx),
    ...checkProcesses(ctx),
    ...checkPortRanges(ctx),
    ...checkCron(ctx),
    ...checkEnvironment(ctx),
    ...checkSomethingRuns(ctx),
  ];
}
