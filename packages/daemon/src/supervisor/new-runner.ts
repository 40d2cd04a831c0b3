import type { EnvTarget } from '../process/environment.js';
import { replicaPort } from '../process/ports.js';
import type * as store from '../store/index.js';
import { type AppRuntime, DEFAULT_STOP_GRACE_MS } from './app-runtime.js';
import { processOf } from './processes.js';
import type { LifecyclePolicy } from './pure/lifecycle.js';
import { type Launch, type ReplicaDeps, ReplicaRunner } from './replica.js';
import type { SupervisorDeps } from './supervisor.js';

/** For a replica whose process left the manifest: it only ever stops, but the machine wants a policy. */
const FALLBACK_RESTART = {
  backoffMs: 10_000,
  maxBackoffMs: 300_000,
  resetAfterMs: 600_000,
  maxRestarts: null,
};

/** Where a new runner starts from: a stored row (daemon restart), a slot's restart count (rolling switch), or nothing. */
export type RunnerOrigin = { readonly restored: store.ReplicaRow } | { readonly restarts: number } | null;

/**
 * A runner for slot `process.idx` of the app. What it launches and its lifecycle policy are read from the app's
 * live release at each start, so a restart after a deploy runs the new release.
 */
export function newRunner(
  deps: SupervisorDeps & { persist: ReplicaDeps['persist'] },
  rt: AppRuntime,
  app: string,
  process: string,
  idx: number,
  origin: RunnerOrigin,
): ReplicaRunner {
  const resolveLaunch = (): Launch => {
    const release = rt.release;
    const proc = processOf(release.spec, process);
    if (!proc) throw new Error(`process "${process}" is not in release v${release.version}`);
    const replica = `${process}.${idx}`;
    const target: EnvTarget =
      proc.kind === 'web' ? { kind: 'web', replica, port: proc.port } : { kind: 'worker', process, replica };
    return {
      argv: proc.command.argv,
      cwd: release.path,
      env: deps.environment(release, target),
      release: release.version,
      policy: { restart: proc.restart, stopGraceMs: proc.stopGraceMs },
      // Replica N's probe addresses its own port (process/ports.ts), the one its HEALTH_PORT names.
      health: proc.health ? { spec: proc.health, port: replicaPort(proc.health.port, idx) } : null,
      limits: { memoryBytes: proc.resources.memory, cpu: proc.resources.cpu },
    };
  };
  const resolvePolicy = (): LifecyclePolicy => {
    const proc = processOf(rt.release.spec, process);
    return proc
      ? { restart: proc.restart, stopGraceMs: proc.stopGraceMs }
      : { restart: FALLBACK_RESTART, stopGraceMs: DEFAULT_STOP_GRACE_MS };
  };
  return new ReplicaRunner(
    { app, process, idx },
    resolveLaunch,
    resolvePolicy,
    {
      driver: deps.driver,
      bus: deps.bus,
      clock: deps.clock,
      output: deps.output,
      onError: deps.onError,
      persist: deps.persist,
      cgroups: deps.cgroups,
      probes: deps.probes,
    },
    startingState(origin),
  );
}

function startingState(origin: RunnerOrigin) {
  if (origin === null) return undefined;
  if ('restarts' in origin) return { restarts: origin.restarts, release: null, lastExit: null };
  const row = origin.restored;
  return {
    restarts: row.restarts,
    // A restored slot has no process (the previous daemon's were reaped): it starts on the live
    // release. Keeping the row's release would make a slot caught mid-switch look stale to `activate`,
    // which would then roll it again (waiting out min_ready) before the daemon serves its API.
    release: null,
    lastExit:
      row.lastExitAt === null
        ? null
        : { code: row.lastExitCode, signal: row.lastExitSignal, at: row.lastExitAt },
  };
}
