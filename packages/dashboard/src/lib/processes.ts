import type { PsEntry, PsResponse } from '@nightshift/protocol';

/** One process type of an app as the overview shows it. */
export interface ProcessView {
  readonly app: string;
  readonly process: string;
  readonly desired: number;
  readonly running: number;
  readonly stopped: boolean;
  readonly autoscale: { readonly min: number; readonly max: number } | undefined;
  readonly replicas: readonly PsEntry[];
  /** Replicas waiting out a backoff after a crash: the process is crash-looping. */
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
      looping: replicas.filter((r) => r.state === 'backoff' || r.state === 'crashed'),
    };
  });
}
