import type { PsEntry, PsResponse } from '@nightshift/protocol';

/** States of a replica that is not running because it keeps crashing (or gave up: `failed`). */
const LOOPING = new Set<PsEntry['state']>(['crash-loop', 'backoff', 'crashed', 'failed']);

/** Whether a replica is down because it keeps crashing. */
export function isLooping(r: PsEntry): boolean {
  return LOOPING.has(r.state);
}

/** One process type of an app as the overview shows it. */
export interface ProcessView {
  readonly app: string;
  readonly process: string;
  readonly desired: number;
  readonly running: number;
  readonly stopped: boolean;
  readonly autoscale: { readonly min: number; readonly max: number } | undefined;
  readonly replicas: readonly PsEntry[];
  /** Replicas in a crash loop, waiting out a backoff after a crash, or given up on (`failed`). */
  readonly looping: readonly PsEntry[];
}

/** Groups `ps` by app and process, in the daemon's order. */
export function processesOf(ps: PsResponse): ProcessView[] {
  return ps.processes.map((p) => {
    const replicas = ps.replicas.filter((r) => r.app === p.app && r.process === p.process);
    return {
      app: p.app,
      process: p.process,
      desired: p.stopped ? 0 : p.desired,
      running: replicas.filter((r) => r.state === 'running').length,
      stopped: p.stopped,
      autoscale: p.autoscale,
      replicas,
      looping: replicas.filter(isLooping),
    };
  });
}
