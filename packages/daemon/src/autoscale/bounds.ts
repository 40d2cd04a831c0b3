import type { AutoscaleSpec, ProcessSpec } from '@nightshift/manifest';
import * as store from '../store/index.js';

interface Override {
  readonly min: number;
  readonly max: number;
  /** The manifest's bounds when the override was set: a deploy that changes them ends it. */
  readonly againstMin: number;
  readonly againstMax: number;
}

/** An override a deploy ended, with the manifest bounds that replaced it (for the timeline). */
export interface ClearedBounds extends Override {
  readonly process: string;
  readonly manifestMin: number;
  readonly manifestMax: number;
}

/**
 * Bounds set by `scale PROC --min/--max`, kept until the manifest's own bounds change (like a `scale` count).
 * Stored, so a daemon restart keeps them; the map is the store's copy, read every autoscale period.
 */
export class AutoscaleBounds {
  #db: store.Db;
  #overrides = new Map<string, Override>();

  /** Restores the overrides a previous daemon set. */
  constructor(db: store.Db) {
    this.#db = db;
    for (const b of store.listAutoscaleBounds(db)) this.#overrides.set(`${b.app}/${b.process}`, b);
  }

  /** The bounds in force for a process. */
  of(app: string, process: string, spec: AutoscaleSpec): { min: number; max: number; overridden: boolean } {
    const o = this.#overrides.get(`${app}/${process}`);
    if (!o || o.againstMin !== spec.min || o.againstMax !== spec.max) {
      return { min: spec.min, max: spec.max, overridden: false };
    }
    return { min: o.min, max: o.max, overridden: true };
  }

  set(app: string, process: string, spec: AutoscaleSpec, min: number, max: number): void {
    const o = { min, max, againstMin: spec.min, againstMax: spec.max };
    store.setAutoscaleBounds(this.#db, { app, process, ...o });
    this.#overrides.set(`${app}/${process}`, o);
  }

  /**
   * After a deploy or rollback: ends the overrides of processes whose manifest bounds changed (or that are no
   * longer autoscaled, or gone). `of` would already ignore them; removing them keeps a later release with the
   * old bounds again from bringing a stale override back. Returns what ended.
   */
  follow(app: string, processes: readonly ProcessSpec[]): ClearedBounds[] {
    const cleared: ClearedBounds[] = [];
    for (const [key, o] of this.#overrides) {
      if (!key.startsWith(`${app}/`)) continue;
      const process = key.slice(app.length + 1);
      const spec = processes.find((p) => p.name === process)?.autoscale ?? null;
      if (spec && spec.min === o.againstMin && spec.max === o.againstMax) continue;
      store.deleteAutoscaleBounds(this.#db, app, process);
      this.#overrides.delete(key);
      cleared.push({ process, ...o, manifestMin: spec?.min ?? 0, manifestMax: spec?.max ?? 0 });
    }
    return cleared;
  }

  forgetApp(app: string): void {
    store.deleteAutoscaleBounds(this.#db, app);
    for (const key of this.#overrides.keys()) if (key.startsWith(`${app}/`)) this.#overrides.delete(key);
  }
}
