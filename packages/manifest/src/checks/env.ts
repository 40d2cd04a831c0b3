import { finding } from '../finding.js';
import type { Finding } from '../finding.js';
import { ENV_NAME_PATTERN, isReservedEnvName } from '../names.js';
import type { CheckContext } from './context.js';
import { asList, asMap, asString, cronJobsOf, has, processesOf } from './raw.js';
import type { RawMap } from './raw.js';

type Path = readonly PropertyKey[];

function checkVariableName(name: string, path: Path, at: 'key' | 'value', redis: boolean): Finding | null {
  // `__proto__` passes the pattern but cannot be a key of a plain object: it would vanish silently.
  if (!ENV_NAME_PATTERN.test(name) || name === '__proto__') {
    return finding('NS_MANIFEST_ENV_NAME', path, `"${name}" is not a valid environment variable name`, {
      at,
    });
  }
  if (isReservedEnvName(name, redis)) {
    return finding(
      'NS_MANIFEST_ENV_RESERVED',
      path,
      `"${name}" is set by Nightshift and cannot be defined here`,
      { at },
    );
  }
  return null;
}

/** Unique secret and region names. */
function checkLists(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const key of ['secrets', 'regions'] as const) {
    const seen = new Set<string>();
    asList(ctx.root[key]).forEach((item, index) => {
      const name = asString(item);
      if (name === undefined) return;
      if (seen.has(name)) {
        findings.push(
          finding('NS_MANIFEST_DUPLICATE_ENTRY', [key, index], `"${name}" is listed twice in \`${key}\``),
        );
      }
      seen.add(name);
    });
  }
  return findings;
}

/**
 * Environment names: valid, not reserved by the platform, and never both plain config and a secret (DESIGN §3:
 * a name defined both ways is a deploy error, so it is caught here first).
 */
export function checkEnvironment(ctx: CheckContext): Finding[] {
  const redis = ctx.root.redis === true;
  const findings = checkLists(ctx);
  const secrets = new Set<string>();
  asList(ctx.root.secrets).forEach((item, index) => {
    const name = asString(item);
    if (name === undefined) return;
    secrets.add(name);
    const problem = checkVariableName(name, ['secrets', index], 'value', redis);
    if (problem) findings.push(problem);
  });
  const envMaps: { path: Path; env: RawMap | undefined }[] = [{ path: ['env'], env: asMap(ctx.root.env) }];
  for (const owner of [...processesOf(ctx.root), ...cronJobsOf(ctx.root)]) {
    envMaps.push({ path: [...owner.path, 'env'], env: asMap(owner.map.env) });
  }
  for (const { path, env } of envMaps) {
    for (const name of Object.keys(env ?? {})) {
      const problem = checkVariableName(name, [...path, name], 'key', redis);
      if (problem) findings.push(problem);
      else if (secrets.has(name)) {
        findings.push(
          finding(
            'NS_MANIFEST_SECRET_IN_ENV',
            [...path, name],
            `"${name}" is defined both in env and in \`secrets\``,
            { at: 'key' },
          ),
        );
      }
    }
  }
  return findings;
}

/** A manifest that runs nothing is legal (an app being set up) but almost always a mistake. */
export function checkSomethingRuns(ctx: CheckContext): Finding[] {
  const runs =
    has(ctx.root, 'web') || asList(ctx.root.workers).length > 0 || asList(ctx.root.cron).length > 0;
  if (runs) return [];
  return [
    finding('NS_MANIFEST_NOTHING_TO_RUN', [], 'the manifest defines no web process, worker or cron job'),
  ];
}
