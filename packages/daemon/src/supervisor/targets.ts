import type { MetricsSpec, ResourcesSpec } from '@nightshift/manifest';
import type { AppRuntime } from './app-runtime.js';
import { processOf } from './processes.js';

/** A replica whose process group exists, as the metrics sampler and scraper see it. */
export interface ReplicaTarget {
  readonly app: string;
  readonly process: string;
  readonly idx: number;
  readonly replica: string;
  /** The group's id (the leader's pid). */
  readonly pgid: number;
  readonly restarts: number;
  readonly resources: ResourcesSpec | null;
  /** The live release's `metrics` of the process; null when it has none. */
  readonly metrics: MetricsSpec | null;
}

/** Every replica of the apps that has a live process group (running or stopping). */
export function targetsOf(apps: ReadonlyMap<string, AppRuntime>): ReplicaTarget[] {
  const out: ReplicaTarget[] = [];
  for (const [app, rt] of apps) {
    for (const [process, runners] of rt.runners) {
      const spec = processOf(rt.release.spec, process);
      for (const r of runners) {
        const s = r.state.status;
        if (r.pid === null || (s !== 'running' && s !== 'stopping')) continue;
        out.push({
          app,
          process,
          idx: r.idx,
          replica: r.name,
          pgid: r.pid,
          restarts: r.state.restarts,
          resources: spec?.resources ?? null,
          metrics: spec?.metrics ?? null,
        });
      }
    }
  }
  return out;
}
