import type { ProcessSpec } from '@nightshift/manifest';
import type { LiveRelease } from '../releases/live.js';
import { processOf } from './processes.js';
import type { ReplicaRunner } from './replica.js';

/** What the supervisor holds for one running app. */
export interface AppRuntime {
  release: LiveRelease;
  runners: Map<string, ReplicaRunner[]>;
  /** Processes whose stored count is over the limit, already reported. */
  clamped: Set<string>;
}

/** A replica that outlives its stop by more than its grace plus this is reported, not waited for. */
const STOP_WAIT_SLACK_MS = 5_000;
/** How long a deploy waits for its new processes to be spawned (they only fail to be after this long if the machine is overloaded). */
const SPAWN_WAIT_MS = 30_000;
export const DEFAULT_STOP_GRACE_MS = 30_000;

export function allRunners(rt: AppRuntime): ReplicaRunner[] {
  return [...rt.runners.values()].flat();
}

/** Still in its slot and not stopped: a rolling switch or restart should carry it over. */
export function isWanted(rt: AppRuntime, runner: ReplicaRunner): boolean {
  return (rt.runners.get(runner.process) ?? []).includes(runner) && runner.state.status !== 'stopped';
}

export function policyOf(rt: AppRuntime, process: string): Pick<ProcessSpec, 'stopGraceMs' | 'minReadyMs'> {
  // A process removed from the manifest still stops within the default grace.
  return processOf(rt.release.spec, process) ?? { stopGraceMs: DEFAULT_STOP_GRACE_MS, minReadyMs: 0 };
}

export function waitStopped(rt: AppRuntime, runner: ReplicaRunner): Promise<void> {
  const grace = policyOf(rt, runner.process).stopGraceMs;
  return runner.waitFor((s) => s.status === 'stopped' || s.status === 'pending', grace + STOP_WAIT_SLACK_MS);
}

export function waitSpawned(runner: ReplicaRunner, onError: (err: unknown) => void): Promise<void> {
  return runner.waitFor((s) => s.status !== 'starting', SPAWN_WAIT_MS).catch(onError);
}
