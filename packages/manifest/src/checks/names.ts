import { finding } from '../finding.js';
import type { Finding } from '../finding.js';
import { dnsLabelOf, PROCESS_NAME_PATTERN } from '../names.js';
import { formatPath } from '../source.js';
import type { CheckContext } from './context.js';
import { asString, cronJobsOf, has, processesOf } from './raw.js';

/** The app has a name (its own, or one made from the folder's), and no two processes or cron jobs share one. */
export function checkNames(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  if (!has(ctx.root, 'name') && ctx.appName === undefined) {
    const hint =
      'add `name: <app>` at the top level (lower-case letters, digits and dashes, starting with a letter)';
    findings.push(
      finding(
        'NS_MANIFEST_MISSING_KEY',
        ['name'],
        ctx.defaultName === undefined
          ? 'the manifest has no `name` and there is no folder name to use'
          : `the manifest has no \`name\`, and the folder name ${JSON.stringify(ctx.defaultName)} has no letter to start one with`,
        { bare: true, hint },
      ),
    );
  }

  const seen = new Map<string, readonly PropertyKey[]>();
  // By DNS label too: Kubernetes names `stale_cleanup` `stale-cleanup`, so `a_b` next to `a-b` would be one object.
  const labels = new Map<string, { readonly name: string; readonly path: readonly PropertyKey[] }>();
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
      return;
    }
    seen.set(name, path);
    if (!PROCESS_NAME_PATTERN.test(name)) return; // reported as an invalid name
    const label = dnsLabelOf(name);
    const other = labels.get(label);
    if (other) {
      findings.push(
        finding(
          'NS_MANIFEST_NAME_CLASH',
          path,
          `"${name}" and "${other.name}" (${formatPath(other.path)}) would both be "${label}" where names must be DNS labels (Kubernetes)`,
          {
            hint: `rename one of them: names that differ only in case or in "_" versus "-" are one name there`,
          },
        ),
      );
    } else {
      labels.set(label, { name, path });
    }
  };
  for (const process of processesOf(ctx.root)) {
    if (process.kind === 'web') claim('web', process.path);
    else claim(asString(process.map.name), [...process.path, 'name']);
  }
  for (const job of cronJobsOf(ctx.root)) claim(asString(job.map.name), [...job.path, 'name']);
  return findings;
}
