import type { HealthSpec } from '@nightshift/manifest';
import type { Clock } from '../../runtime/clock.js';
import { systemTimers, type Timer, type Timers } from '../../runtime/timers.js';
import { type HealthState, healthLabel, initialHealth, recordProbe } from '../pure/health.js';
import { checkProbe, type ProbeCheck, type ProbeTarget } from './check.js';

export interface MonitorDeps {
  readonly clock: Clock;
  readonly timers?: Timers;
  readonly check?: ProbeCheck;
  /** `failures` consecutive probes failed: the replica must be restarted. Called once per monitor. */
  readonly onUnhealthy: (lastError: string, failures: number) => void;
}

/**
 * Probes one running process every `interval` and counts its results (pure/health.ts). Lives exactly as long
 * as the process: created when it starts, stopped when it leaves `running`. A probe still in flight when the
 * monitor stops is ignored, so a late answer can never restart the next process.
 */
export class HealthMonitor {
  readonly #spec: HealthSpec;
  readonly #target: ProbeTarget;
  readonly #deps: MonitorDeps;
  #state: HealthState;
  #timer: Timer | null = null;
  #stopped = false;

  constructor(spec: HealthSpec, port: number, deps: MonitorDeps) {
    this.#spec = spec;
    this.#target = { type: spec.type, port, path: spec.path };
    this.#deps = deps;
    this.#state = initialHealth(deps.clock.monotonic());
    this.#arm();
  }

  get state(): HealthState {
    return this.#state;
  }

  /** `healthy`, `starting` or `unhealthy (2/3)`. */
  get label(): string {
    return healthLabel(this.#state, this.#spec);
  }

  get port(): number {
    return this.#target.port;
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = null;
  }

  #arm(): void {
    if (this.#stopped) return;
    const timers = this.#deps.timers ?? systemTimers;
    this.#timer = timers.after(this.#spec.intervalMs, () => {
      this.#timer = null;
      void this.#probe();
    });
  }

  async #probe(): Promise<void> {
    const check = this.#deps.check ?? checkProbe;
    const result = await check(this.#target, this.#spec.timeoutMs);
    if (this.#stopped) return;
    const next = recordProbe(this.#state, result, this.#deps.clock.monotonic(), this.#spec);
    this.#state = next.state;
    if (next.restart) {
      this.stop();
      this.#deps.onUnhealthy(next.state.lastError ?? 'probe failed', next.state.failed);
      return;
    }
    this.#arm();
  }
}
