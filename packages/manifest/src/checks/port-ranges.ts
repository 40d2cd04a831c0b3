import { DEFAULTS } from '../defaults.js';
import { finding } from '../finding.js';
import type { Finding } from '../finding.js';
import type { CheckContext } from './context.js';
import { asInt, asMap, asString, has, processesOf } from './raw.js';
import type { RawMap, RawProcess } from './raw.js';

const MAX_PORT = 65_535;

/** One port range a process reserves: replica N of it listens on `first` + N − 1. */
interface Claim {
  readonly process: string;
  readonly what: 'web' | 'health' | 'metrics';
  readonly first: number;
  readonly last: number;
  readonly path: readonly PropertyKey[];
}

/** The most replicas a process may run under its manifest: `replicas`, or autoscale `max`, in any region. */
function maxReplicas(map: RawMap): number {
  const own = (m: RawMap | undefined): number =>
    asInt(asMap(m?.autoscale)?.max) ?? asInt(m?.replicas) ?? DEFAULTS.replicas;
  let most = Math.max(1, own(map));
  for (const override of Object.values(asMap(map.regions) ?? {})) {
    const o = asMap(override);
    if (o && (has(o, 'replicas') || has(asMap(o.autoscale), 'max'))) most = Math.max(most, own(o));
  }
  return most;
}

function claimsOf(process: RawProcess): Claim[] {
  const { map, path } = process;
  const name = process.kind === 'web' ? 'web' : (asString(map.name) ?? path.join('.'));
  const count = maxReplicas(map);
  const claim = (what: Claim['what'], port: number | undefined, at: readonly PropertyKey[]): Claim[] =>
    port === undefined
      ? []
      : // Every web replica is given the one PORT (the local driver switches web stop-first).
        [{ process: name, what, first: port, last: what === 'web' ? port : port + count - 1, path: at }];
  const webPort = process.kind === 'web' ? (asInt(map.port) ?? DEFAULTS.web.port) : undefined;
  const healthPort = asInt(asMap(map.health)?.port);
  return [
    ...claim('web', webPort, [...path, 'port']),
    // A web probe on the web port addresses the app itself: one range, not two.
    ...(healthPort === webPort ? [] : claim('health', healthPort, [...path, 'health', 'port'])),
    ...claim('metrics', asInt(asMap(map.metrics)?.port), [...path, 'metrics', 'port']),
  ];
}

const describeClaim = (c: Claim): string =>
  `${c.process} ${c.what} ${c.first === c.last ? `port ${c.first}` : `ports ${c.first}–${c.last}`}`;

/**
 * Locally every replica gets its own health and metrics port (port + replica − 1, docs/architecture.md "Ports
 * of replicas"), so each process reserves a range; two ranges that meet would give two replicas one port.
 * The same port twice within one process is NS_MANIFEST_PORT_CONFLICT, reported by the process checks.
 */
export function checkPortRanges(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const seen: Claim[] = [];
  for (const claim of processesOf(ctx.root).flatMap(claimsOf)) {
    // The first port's own range is the field check's; here, the last replica's port past 65535.
    if (claim.first >= 1024 && claim.first <= MAX_PORT && claim.last > MAX_PORT) {
      const replicas = claim.last - claim.first + 1;
      findings.push(
        finding(
          'NS_MANIFEST_PORT_RANGE',
          claim.path,
          `${describeClaim(claim)}: replica ${replicas} would listen on port ${claim.last}, outside 1024–65535`,
          { hint: `replica N listens on port + N − 1; use a port of at most ${MAX_PORT - replicas + 1}` },
        ),
      );
    }
    const other = seen.find((c) => claim.first <= c.last && c.first <= claim.last);
    const sameProcessSamePort = other && other.process === claim.process && other.first === claim.first;
    if (other && !sameProcessSamePort) {
      const free = Math.max(other.last, claim.last) + 1;
      findings.push(
        finding(
          'NS_MANIFEST_PORT_OVERLAP',
          claim.path,
          `${describeClaim(claim)} overlaps ${describeClaim(other)}`,
          {
            hint: `replica N listens on port + N − 1; move this port to ${free} or above`,
          },
        ),
      );
    }
    seen.push(claim);
  }
  return findings;
}
