import { finding } from '../finding.js';
import type { Finding } from '../finding.js';
import { NAME_PATTERN } from '../names.js';
import { formatPath } from '../source.js';
import type { CheckContext } from './context.js';
import { asString, cronJobsOf, has, processesOf } from './raw.js';

/** The app has a usable name (its own or the folder's), and no two processes or cron jobs share one. */
export function checkNames(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  if (!has(ctx.root, 'name')) {
    if (ctx.defaultName === undefined) {
      findings.push(
        finding(
          'NS_MANIFEST_MISSING_KEY',
          ['name'],
          'the manifest has no `name` and there is no folder name to use',
          {
            bare: true,
            hint: 'add `name: <app>` at the top level',
          },
        ),
      );
    } else if (!NAME_PATTERN.test(ctx.defaultName)) {
      findings.push(
        finding(
          'NS_MANIFEST_INVALID_NAME',
          ['name'],
          `the folder name "${ctx.defaultName}" is not a valid app name`,
          {
            bare: true,
            hint: 'add `name: <app>` at the top level (lower-case letters, digits, dashes; starting with a letter)',
          },
        ),
      );
    }
  }

  const seen = new Map<string, readonly PropertyKey[]>();
  const claim = (name: string | undefined, path: readonly PropertyKey[]): void => {
    if (name === undefined) return;
    const first = seen.get(name);
    if (first) {
      findings.push(
        finding(
          'NS_MANIFEST_DUPLICATE_NAME',
          path,
          `the name "${name}" is already used by ${formatPath(first)}`,
          {
            hint: 'give every process and cron job its own name (web is named "web")',
          },
        ),
      );
    } else {
      seen.set(name, path);
    }
  };
  for (const process of processesOf(ctx.root)) {
    if (process.kind === 'web') claim('web', process.path);
    else claim(asString(process.map.name), [...process.path, 'name']);
  }
  for (const job of cronJobsOf(ctx.root)) claim(asString(job.map.name), [...job.path, 'name']);
  return findings;
}
