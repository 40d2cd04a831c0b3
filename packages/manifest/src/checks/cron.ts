import { checkSchedule } from '../cron.js';
import type { ScheduleCheck } from '../cron.js';
import { MAX_CRON_JOBS } from '../limits.js';
import { finding } from '../finding.js';
import type { Finding } from '../finding.js';
import type { CheckContext } from './context.js';
import { asString, cronJobsOf, has } from './raw.js';
import { checkCommand } from './processes.js';

/** Schedules (DESIGN §5 rules), regions and commands of every cron job. */
export function checkCron(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  // A schedule that never fires costs croner ~2 ms to prove: check each text once, and no more jobs than a
  // manifest may have (the schema reports a longer list).
  const checked = new Map<string, ScheduleCheck>();
  for (const { map, path } of cronJobsOf(ctx.root).slice(0, MAX_CRON_JOBS)) {
    const schedule = asString(map.schedule);
    if (schedule !== undefined) {
      const result = checked.get(schedule) ?? checkSchedule(schedule, ctx.now);
      checked.set(schedule, result);
      for (const problem of [...result.errors, ...result.warnings]) {
        findings.push(finding(problem.code, [...path, 'schedule'], problem.message, { hint: problem.hint }));
      }
    }
    const region = asString(map.region);
    if (region !== undefined && !ctx.regions.has(region)) {
      findings.push(
        finding(
          'NS_MANIFEST_UNKNOWN_REGION',
          [...path, 'region'],
          `region "${region}" is not in the top-level \`regions\``,
          {
            hint: ctx.regions.size
              ? `listed regions: ${[...ctx.regions].join(', ')}`
              : `add \`regions: [${region}]\` at the top level`,
          },
        ),
      );
    }
    if (has(map, 'start')) continue; // zod reports `start` as an unknown key of a cron job
    findings.push(...checkCommand(map, path, false));
  }
  return findings;
}
