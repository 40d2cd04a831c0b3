import { DEFAULTS } from '../defaults.js';
import { finding } from '../finding.js';
import { MAX_DURATION_MS } from '../limits.js';
import type { Finding } from '../finding.js';
import { formatDuration, tryParseDuration } from '../units.js';
import type { CheckContext } from './context.js';
import { asInt, asMap, asString, has, processesOf } from './raw.js';
import type { RawMap, RawProcess } from './raw.js';

type Path = readonly PropertyKey[];

/** `command` xor `start`; `args` only with a `command` list. Shared with cron jobs (which have no `start`). */
export function checkCommand(map: RawMap, path: Path, hasStart: boolean): Finding[] {
  const findings: Finding[] = [];
  const hasCommand = has(map, 'command');
  if (hasStart && hasCommand) {
    findings.push(
      finding('NS_MANIFEST_COMMAND_CONFLICT', [...path, 'command'], 'both `start` and `command` are given', {
        at: 'key',
        hint: 'keep `start: <command line>`, or `command: [program]` with `args`; not both',
      }),
    );
  }
  if (has(map, 'args') && (!hasCommand || typeof map.command === 'string')) {
    findings.push(
      finding('NS_MANIFEST_COMMAND_CONFLICT', [...path, 'args'], '`args` needs `command` given as a list', {
        at: 'key',
        hint: 'write `command: [program]` with `args: […]`, or put everything in one command line',
      }),
    );
  }
  return findings;
}

interface Scaling {
  readonly autoscale: RawMap | undefined;
  readonly resources: RawMap | undefined;
}

/**
 * Bounds and resource needs of one autoscale block. For a region override, `inherited` is the process's own
 * autoscale, whose fields the override's replace one by one.
 */
function checkAutoscale(
  scaling: Scaling,
  path: Path,
  override: { inherited: RawMap | undefined } | null,
): Finding[] {
  const inherited = override?.inherited;
  const findings: Finding[] = [];
  const own = scaling.autoscale;
  if (!own) return findings;
  const min = has(own, 'min') ? asInt(own.min) : asInt(inherited?.min);
  const max = has(own, 'max') ? asInt(own.max) : asInt(inherited?.max);
  if (min !== undefined && max !== undefined && min > max) {
    findings.push(
      finding(
        'NS_MANIFEST_AUTOSCALE_RANGE',
        [...path, has(own, 'max') ? 'max' : 'min'],
        `autoscale min ${min} is above max ${max}`,
      ),
    );
  }
  if (override && inherited === undefined) {
    // A region override that turns on autoscaling for a process with fixed replicas must give both bounds.
    for (const key of ['min', 'max'] as const) {
      if (!has(own, key)) {
        findings.push(
          finding(
            'NS_MANIFEST_MISSING_KEY',
            [...path, key],
            `autoscale "${key}" is missing and the process has no autoscale to inherit it from`,
            {
              hint: `add \`${key}:\``,
            },
          ),
        );
      }
    }
  }
  for (const metric of ['cpu', 'memory'] as const) {
    const wanted = has(own, metric) || (inherited !== undefined && has(inherited, metric));
    if (wanted && !has(scaling.resources, metric)) {
      findings.push(
        finding(
          'NS_MANIFEST_AUTOSCALE_NEEDS_RESOURCES',
          [...path, metric],
          `autoscale on ${metric} needs \`resources.${metric}\``,
          {
            at: 'key',
            hint: `set resources.${metric}: the target is a percentage of it`,
          },
        ),
      );
    }
  }
  return findings;
}

function checkScaling(map: RawMap, path: Path): Finding[] {
  const findings: Finding[] = [];
  if (has(map, 'replicas') && has(map, 'autoscale')) {
    findings.push(
      finding(
        'NS_MANIFEST_REPLICAS_CONFLICT',
        [...path, 'autoscale'],
        'both `replicas` and `autoscale` are given',
        { at: 'key' },
      ),
    );
  }
  return findings;
}

function checkPorts(process: RawProcess): Finding[] {
  const findings: Finding[] = [];
  const { map, path } = process;
  const health = asMap(map.health);
  const webPort = process.kind === 'web' ? (asInt(map.port) ?? DEFAULTS.web.port) : undefined;
  if (health && !has(health, 'port') && process.kind === 'worker') {
    findings.push(
      finding(
        'NS_MANIFEST_MISSING_KEY',
        [...path, 'health'],
        'the health probe needs a `port` (only web defaults to its own port)',
        {
          hint: 'add `port:` to health, e.g. `port: 8081`',
        },
      ),
    );
  }
  const healthPort = health ? (asInt(health.port) ?? webPort) : undefined;
  const metricsPort = asInt(asMap(map.metrics)?.port);
  // The web port first: a web health probe defaults to it, and "also the web port" is the clearer message.
  if (metricsPort !== undefined && metricsPort === webPort) {
    findings.push(
      finding(
        'NS_MANIFEST_PORT_CONFLICT',
        [...path, 'metrics', 'port'],
        `metrics port ${metricsPort} is also the web port`,
        { hint: 'serve metrics on a port of their own (the app itself listens on the web port)' },
      ),
    );
  } else if (metricsPort !== undefined && metricsPort === healthPort) {
    findings.push(
      finding(
        'NS_MANIFEST_PORT_CONFLICT',
        [...path, 'metrics', 'port'],
        `metrics port ${metricsPort} is also the health port`,
      ),
    );
  }
  return findings;
}

/** The duration at `key`, or null when absent, malformed or over `maxMs` (the schema reports those). */
function durationAt(map: RawMap | undefined, key: string, maxMs: number): number | null {
  const text = asString(map?.[key]);
  const ms = text === undefined ? null : tryParseDuration(text);
  return ms !== null && ms <= maxMs ? ms : null;
}

function checkTimings(map: RawMap, path: Path): Finding[] {
  const findings: Finding[] = [];
  const restart = asMap(map.restart);
  const backoff = durationAt(restart, 'backoff', MAX_DURATION_MS.backoff) ?? DEFAULTS.restart.backoffMs;
  const maxBackoff =
    durationAt(restart, 'max_backoff', MAX_DURATION_MS.maxBackoff) ?? DEFAULTS.restart.maxBackoffMs;
  if (backoff > 0 && maxBackoff > 0 && maxBackoff < backoff) {
    findings.push(
      finding(
        'NS_MANIFEST_INVALID_VALUE',
        [...path, 'restart', has(restart, 'max_backoff') ? 'max_backoff' : 'backoff'],
        `restart max_backoff ${formatDuration(maxBackoff)} is shorter than backoff ${formatDuration(backoff)}`,
        {
          hint: 'max_backoff is the cap the doubling backoff grows to: make it at least backoff',
        },
      ),
    );
  }
  const health = asMap(map.health);
  if (health) {
    const interval =
      durationAt(health, 'interval', MAX_DURATION_MS.healthInterval) ?? DEFAULTS.health.intervalMs;
    const timeout = durationAt(health, 'timeout', MAX_DURATION_MS.healthTimeout) ?? DEFAULTS.health.timeoutMs;
    if (interval > 0 && timeout > interval) {
      findings.push(
        finding(
          'NS_MANIFEST_INVALID_VALUE',
          [...path, 'health', has(health, 'timeout') ? 'timeout' : 'interval'],
          `health timeout ${formatDuration(timeout)} is longer than the interval ${formatDuration(interval)}`,
          {
            hint: 'a probe must finish before the next one starts: make timeout at most interval',
          },
        ),
      );
    }
  }
  return findings;
}

function checkRegions(process: RawProcess, ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const overrides = asMap(process.map.regions);
  if (!overrides) return findings;
  const base: Scaling = { autoscale: asMap(process.map.autoscale), resources: asMap(process.map.resources) };
  for (const [region, value] of Object.entries(overrides)) {
    const path = [...process.path, 'regions', region];
    if (!ctx.regions.has(region)) {
      const listed = [...ctx.regions];
      findings.push(
        finding(
          'NS_MANIFEST_UNKNOWN_REGION',
          path,
          `region "${region}" is not in the top-level \`regions\``,
          {
            at: 'key',
            hint: listed.length
              ? `listed regions: ${listed.join(', ')}`
              : `add \`regions: [${region}]\` at the top level`,
          },
        ),
      );
    }
    const override = asMap(value);
    if (!override) continue;
    findings.push(...checkScaling(override, path));
    const overrideResources = asMap(override.resources);
    const resources =
      base.resources || overrideResources ? { ...base.resources, ...overrideResources } : undefined;
    findings.push(
      ...checkAutoscale({ autoscale: asMap(override.autoscale), resources }, [...path, 'autoscale'], {
        inherited: base.autoscale,
      }),
    );
  }
  return findings;
}

/** Commands, scaling, ports, timings and region overrides of web and every worker. */
export function checkProcesses(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const process of processesOf(ctx.root)) {
    const { map, path } = process;
    if (!has(map, 'start') && !has(map, 'command')) {
      findings.push(finding('NS_MANIFEST_COMMAND_MISSING', path, 'no command: give `start` or `command`'));
    }
    findings.push(...checkCommand(map, path, has(map, 'start')));
    findings.push(...checkScaling(map, path));
    const scaling: Scaling = { autoscale: asMap(map.autoscale), resources: asMap(map.resources) };
    findings.push(...checkAutoscale(scaling, [...path, 'autoscale'], null));
    findings.push(...checkPorts(process), ...checkTimings(map, path), ...checkRegions(process, ctx));
  }
  return findings;
}
