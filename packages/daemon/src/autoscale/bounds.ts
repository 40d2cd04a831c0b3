import type { AutoscaleSpec } from '@nightshift/manifest';

interface Override {
  readonly min: number;
  readonly max: number;
  /** The manifest's bounds when the override was set: a deploy that changes them ends it. */
  readonly againstMin: number;
  readonly againstMax: number;
}

/**
 * Bounds set by `scale PROC --min/--max`, kept until the manifest's own bounds change (like a `scale` count).
 * Held in memory: a daemon restart returns to the manifest's bounds (see docs/architecture.md).
 */
export class AutoscaleBounds {
  #overrides = new Map<string, Override>();

  /** The bounds in force for a process. */
  of(app: string, process: string, spec: AutoscaleSpec): { min: number; max: number; overridden: boolean } {
    const o = this.#overrides.get(`${app}/${process}`);
    if (!o || o.againstMin !== spec.min || o.againstMax !== spec.max) {
      return { min: spec.min, max: spec.max, overridden: false };
    }
    return { min: o.min, max: o.max, overridden: true };
  }

  set(app: string, process: string, spec: AutoscaleSpec, min: number, max: number): void {
    this.#overrides.set(`${app}/${process}`, { min, max, againstMin: spec.min, againstMax: spec.max });
  }

  forgetApp(app: string): void {
    for (const key of this.#overrides.keys()) if (key.startsWith(`${app}/`)) this.#overrides.delete(key);
  }
}
