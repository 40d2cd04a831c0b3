import { type AppRuntime, policyOf, waitSpawned, waitStopped } from './app-runtime.js';
import type { ReplicaRunner } from './replica.js';

/** A replica of a new release that could not be started at all. */
export interface ActivationFailure {
  readonly replica: string;
  readonly error: string;
}

/** What a rolling step needs from the supervisor. */
export interface RolloutContext {
  /** A fresh runner for the same slot, carrying the old one's restart count. */
  readonly successorOf: (old: ReplicaRunner) => ReplicaRunner;
  /** Records the runner that now owns its slot. */
  readonly persist: (runner: ReplicaRunner) => void;
  readonly onError: (err: unknown) => void;
}

/**
 * Start-before-stop: a successor for the same slot starts on the live release; once it has run
 * `min_ready`, the old replica is stopped gracefully. The app never has fewer replicas than wanted, and a
 * successor that cannot be started leaves the old replica in its slot.
 */
export async function replaceOne(
  ctx: RolloutContext,
  rt: AppRuntime,
  old: ReplicaRunner,
): Promise<ActivationFailure | null> {
  const successor = ctx.successorOf(old);
  successor.start();
  await waitSpawned(successor, ctx.onError);
  if (successor.spawnError !== null) {
    const failure = failureOf(successor);
    successor.stop();
    await waitStopped(rt, successor).catch(ctx.onError);
    successor.dispose();
    return failure;
  }
  const minReady = policyOf(rt, old.process).minReadyMs;
  if (minReady > 0 && successor.state.status === 'running') await sleep(minReady);
  const runners = rt.runners.get(old.process) ?? [];
  const at = runners.indexOf(old);
  if (at === -1) {
    // Scaled away meanwhile: the successor is not wanted either.
    successor.stop();
    await waitStopped(rt, successor).catch(ctx.onError);
    successor.dispose();
    return null;
  }
  runners[at] = successor;
  ctx.persist(successor);
  old.stop();
  await waitStopped(rt, old).catch(ctx.onError);
  old.dispose();
  return null;
}

/** Stop-then-start in place (web, which holds a port; a replica in backoff; `restart`). */
export async function restartOne(
  ctx: RolloutContext,
  rt: AppRuntime,
  runner: ReplicaRunner,
): Promise<ActivationFailure | null> {
  runner.stop();
  await waitStopped(rt, runner);
  if (!(rt.runners.get(runner.process) ?? []).includes(runner)) return null;
  runner.start();
  const minReady = policyOf(rt, runner.process).minReadyMs;
  await waitSpawned(runner, ctx.onError);
  if (runner.spawnError !== null) return failureOf(runner);
  if (minReady > 0 && runner.state.status === 'running') await sleep(Math.min(minReady, 2_000));
  return null;
}

export function failureOf(r: ReplicaRunner): ActivationFailure {
  return { replica: r.name, error: r.spawnError ?? 'did not start' };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
