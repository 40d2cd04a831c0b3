import type { AutoscaleSpec, ProcessSpec } from '@nightshift/manifest';
import type { EventBus } from '../events/index.js';
import type { Clock } from '../runtime/clock.js';
import type { Timer, Timers } from '../runtime/timers.js';
import {
  decide,
  pruneHistory,
  type AutoscaleDecision,
  type Recommendation,
  type ReplicaUsage,
} from '../supervisor/pure/autoscale.js';
import type { AutoscaleStatus } from '@nightshift/protocol';
import type { AutoscaleBounds } from './bounds.js';
import type { AutoscaleWindows } from './windows.js';
import { statusView } from './view.js';

/** A replica as the autoscaler sees it: its state and latest sample. */
export interface ReplicaReading {
  readonly process: string;
  readonly state: string;
  readonly usage: { readonly cpuPercent: number | null; readonly memoryBytes: number } | null;
}

export interface AutoscalerDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly bus: EventBus;
  readonly periodMs: number;
  readonly bounds: AutoscaleBounds;
  /** Where the windows outlive the daemon (none: they live in memory only). */
  readonly windows?: AutoscaleWindows;
  /** Apps whose live release runs. */
  readonly apps: () => readonly string[];
  readonly processSpecs: (app: string) => readonly ProcessSpec[];
  /** Replicas wanted now, and whether the process was stopped by `stop PROC`. */
  readonly formation: (app: string, process: string) => { desired: number; stopped: boolean };
  readonly replicas: (app: string) => readonly ReplicaReading[];
  /** Waiting jobs of a queue; throws when it cannot be read. */
  readonly queueDepth: (app: string, queue: NonNullable<AutoscaleSpec['queue']>) => Promise<number>;
  /** Sets the count through the apps layer (the app's serial queue). */
  readonly apply: (
    app: string,
    process: string,
    decision: AutoscaleDecision,
    bounds: Bounds,
  ) => Promise<void>;
  readonly onError: (err: unknown) => void;
}

export interface Bounds {
  readonly min: number;
  readonly max: number;
}

/** What `autoscale status` shows of one process. */
export interface ProcessAutoscale {
  readonly process: string;
  readonly decision: AutoscaleDecision | null;
  readonly decidedAt: number | null;
  readonly bounds: Bounds & { readonly overridden: boolean };
  /** The signal that cannot be read now, and why. */
  readonly failing: { readonly signal: string; readonly error: string; readonly since: number } | null;
}

interface ProcessState {
  history: Recommendation[];
  decision: AutoscaleDecision | null;
  decidedAt: number | null;
  failing: { signal: string; error: string; since: number; sinceMono: number } | null;
}

/** Replicas that do work now; `starting` and `backoff` ones are not capacity yet (or any more). */
const CAPACITY = new Set(['running']);

/**
 * The thin loop around the pure policy: every period it reads each autoscaled process's signals, asks
 * `decide`, and hands a change to the apps layer. Periods never overlap: the next is armed when one ends.
 */
export class Autoscaler {
  #deps: AutoscalerDeps;
  #state = new Map<string, ProcessState>();
  #timer: Timer | null = null;
  #running: Promise<void> | null = null;
  #stopped = true;

  constructor(deps: AutoscalerDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#stopped = false;
    this.#arm();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = null;
    await this.#running;
    // A graceful stop leaves every window exactly as it is: the next daemon holds scale-downs where this one would.
    for (const [key, state] of this.#state) {
      const slash = key.indexOf('/');
      this.#deps.windows?.keep(key.slice(0, slash), key.slice(slash + 1), state.history, true);
    }
    this.#deps.windows?.flush();
  }

  /** One period for every app (tests call it directly with an injected clock). */
  async tick(): Promise<void> {
    const work = this.#tickAll();
    this.#running = work;
    await work;
  }

  status(app: string): ProcessAutoscale[] {
    const out: ProcessAutoscale[] = [];
    for (const proc of this.#deps.processSpecs(app)) {
      if (!proc.autoscale) continue;
      const s = this.#state.get(`${app}/${proc.name}`);
      const f = s?.failing ?? null;
      out.push({
        process: proc.name,
        decision: s?.decision ?? null,
        decidedAt: s?.decidedAt ?? null,
        bounds: this.#deps.bounds.of(app, proc.name, proc.autoscale),
        failing: f && { signal: f.signal, error: f.error, since: f.since },
      });
    }
    return out;
  }

  /** `GET /apps/:app/autoscale`: the last decision and signals of each autoscaled process (or of one). */
  view(app: string, process?: string): AutoscaleStatus {
    const readings = this.#deps.replicas(app);
    const procs = this.status(app).filter((p) => process === undefined || p.process === process);
    return statusView(app, this.#deps.periodMs, procs, (name) => ({
      desired: this.#deps.formation(app, name).desired,
      running: readings.filter((r) => r.process === name && CAPACITY.has(r.state)).length,
    }));
  }

  /** The bounds in force of each autoscaled process of an app, for `ps`. */
  boundsOf(app: string): Map<string, { min: number; max: number }> {
    return new Map(this.status(app).map((p) => [p.process, { min: p.bounds.min, max: p.bounds.max }]));
  }

  forgetApp(app: string): void {
    for (const key of this.#state.keys()) if (key.startsWith(`${app}/`)) this.#state.delete(key);
    this.#deps.bounds.forgetApp(app);
    this.#deps.windows?.forgetApp(app);
  }

  #arm(): void {
    if (this.#stopped) return;
    this.#timer = this.#deps.timers.after(this.#deps.periodMs, () => {
      void this.tick()
        .catch(this.#deps.onError)
        .finally(() => this.#arm());
    });
  }

  async #tickAll(): Promise<void> {
    const jobs: Promise<void>[] = [];
    for (const app of this.#deps.apps()) {
      let byProcess: Map<string, ReplicaReading[]> | null = null;
      for (const proc of this.#deps.processSpecs(app)) {
        if (!proc.autoscale) continue;
        // One ps per app, grouped once: not a scan of every replica per process.
        byProcess ??= groupByProcess(this.#deps.replicas(app));
        const own = byProcess.get(proc.name) ?? [];
        jobs.push(this.#one(app, proc, proc.autoscale, own).catch(this.#deps.onError));
      }
    }
    await Promise.all(jobs);
    this.#deps.windows?.flush();
  }

  async #one(
    app: string,
    proc: ProcessSpec,
    spec: AutoscaleSpec,
    readings: readonly ReplicaReading[],
  ): Promise<void> {
    const key = `${app}/${proc.name}`;
    const state = this.#state.get(key) ?? {
      history: this.#deps.windows?.restore(app, proc.name) ?? [],
      decision: null,
      decidedAt: null,
      failing: null,
    };
    this.#state.set(key, state);
    const { desired, stopped } = this.#deps.formation(app, proc.name);
    if (stopped) return;
    const waiting = spec.queue ? await this.#readQueue(app, proc.name, spec.queue, state) : null;
    const now = this.#deps.clock.monotonic();
    const own = this.#deps.bounds.of(app, proc.name, spec);
    // The local driver runs one web replica (apps/scale.ts): web scales between its min and 1 here.
    const bounds =
      proc.kind === 'web' ? { ...own, max: Math.min(own.max, 1), min: Math.min(own.min, 1) } : own;
    const ready: ReplicaUsage[] = readings.flatMap((r) =>
      CAPACITY.has(r.state) && r.usage
        ? [{ cpuPercent: r.usage.cpuPercent, memoryBytes: r.usage.memoryBytes }]
        : [],
    );
    const decision = decide({
      now,
      current: desired,
      min: bounds.min,
      max: bounds.max,
      ready,
      cpu:
        spec.cpu !== null && proc.resources.cpu !== null
          ? { target: spec.cpu, request: proc.resources.cpu }
          : null,
      memory:
        spec.memory !== null && proc.resources.memory !== null
          ? { target: spec.memory, requestBytes: proc.resources.memory }
          : null,
      queue: spec.queue ? { target: spec.queue.target, waiting } : null,
      history: state.history,
      windowMs: spec.scaleDownAfterMs,
    });
    state.history = [...pruneHistory(state.history, now, spec.scaleDownAfterMs), decision.record];
    state.decision = decision;
    state.decidedAt = this.#deps.clock.now();
    this.#deps.windows?.keep(app, proc.name, state.history, decision.to !== decision.from);
    if (decision.to !== decision.from) await this.#deps.apply(app, proc.name, decision, bounds);
  }

  /** The queue's depth, or null when it cannot be read (one event per outage, one when it is back). */
  async #readQueue(
    app: string,
    process: string,
    queue: NonNullable<AutoscaleSpec['queue']>,
    state: ProcessState,
  ): Promise<number | null> {
    try {
      const depth = await this.#deps.queueDepth(app, queue);
      if (state.failing) {
        const failedForMs = Math.round(this.#deps.clock.monotonic() - state.failing.sinceMono);
        state.failing = null;
        this.#deps.bus.emit({
          type: 'autoscale:signal-recovered',
          app,
          process,
          message: `${process}: queue ${queue.kind}:${queue.name} readable again`,
          data: { signal: 'queue', failedForMs },
        });
      }
      return depth;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (!state.failing) {
        state.failing = {
          signal: 'queue',
          error,
          since: this.#deps.clock.now(),
          sinceMono: this.#deps.clock.monotonic(),
        };
        this.#deps.bus.emit({
          type: 'autoscale:signal-failed',
          app,
          process,
          message: `${process}: cannot read queue ${queue.kind}:${queue.name} (${error}); the count holds`,
          data: { signal: 'queue', error },
        });
      }
      return null;
    }
  }
}

function groupByProcess(readings: readonly ReplicaReading[]): Map<string, ReplicaReading[]> {
  const out = new Map<string, ReplicaReading[]>();
  for (const r of readings) {
    const list = out.get(r.process);
    if (list) list.push(r);
    else out.set(r.process, [r]);
  }
  return out;
}
