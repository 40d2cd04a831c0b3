import type { ProcessSpec } from '@nightshift/manifest';

const MAX_PORT = 65_535;

/** A port range one process reserves at `count` replicas: replica N listens on `first` + N − 1. */
interface Range {
  readonly process: string;
  readonly what: 'web' | 'health' | 'metrics';
  readonly first: number;
  readonly last: number;
}

function rangesOf(proc: ProcessSpec & { readonly port?: number }, count: number): Range[] {
  const out: Range[] = [];
  const n = Math.max(1, count);
  const webPort = proc.kind === 'web' ? proc.port : undefined;
  // Every web replica gets the one PORT; a web probe on it addresses the app itself.
  if (webPort !== undefined) out.push({ process: proc.name, what: 'web', first: webPort, last: webPort });
  if (proc.health && proc.health.port !== webPort) {
    out.push({ process: proc.name, what: 'health', first: proc.health.port, last: proc.health.port + n - 1 });
  }
  if (proc.metrics) {
    out.push({
      process: proc.name,
      what: 'metrics',
      first: proc.metrics.port,
      last: proc.metrics.port + n - 1,
    });
  }
  return out;
}

const show = (r: Range) =>
  `${r.process} ${r.what} ${r.first === r.last ? `port ${r.first}` : `ports ${r.first}–${r.last}`}`;

/**
 * The first two port ranges that meet when each process runs `counts` replicas (the manifest checks its own
 * counts; `scale` can go past them), or a range whose last port is past 65535, described for an error; null
 * when none is.
 */
export function portOverlap(
  processes: readonly (ProcessSpec & { readonly port?: number })[],
  counts: ReadonlyMap<string, number>,
): string | null {
  const seen: Range[] = [];
  for (const r of processes.flatMap((p) => rangesOf(p, counts.get(p.name) ?? 1))) {
    if (r.last > MAX_PORT) return `${show(r)} would go past port ${MAX_PORT}`;
    const other = seen.find((s) => r.first <= s.last && s.first <= r.last);
    if (other) return `${show(r)} would overlap ${show(other)}`;
    seen.push(r);
  }
  return null;
}
