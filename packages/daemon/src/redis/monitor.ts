import type { AdminConnection } from './admin.js';
import { oomRejections, parseInfo } from './facts.js';

/** Share of maxmemory above which `redis:memory-high` is emitted and `ps` warns. */
export const MEMORY_HIGH_RATIO = 0.8;
/** How long a refused write keeps `ps` warning. */
const REJECTING_WARN_MS = 60_000;

export interface MemorySample {
  readonly usedMemory: number;
  readonly maxmemory: number;
  /** Writes refused for memory since the server started (`errorstat_OOM`). */
  readonly rejectedWrites: number;
}

export async function sampleMemory(admin: AdminConnection): Promise<MemorySample> {
  const memory = parseInfo(String(await admin.call('INFO', 'memory')));
  const errors = parseInfo(String(await admin.call('INFO', 'errorstats')));
  return {
    usedMemory: Number(memory.get('used_memory') ?? 0),
    maxmemory: Number(memory.get('maxmemory') ?? 0),
    rejectedWrites: oomRejections(errors),
  };
}

export type PressureEvent =
  | { readonly type: 'redis:memory-high'; readonly ratio: number }
  | { readonly type: 'redis:rejecting'; readonly rejected: number };

/**
 * PURE: back-pressure as the samples show it. `observe` returns the events a new sample calls for: memory
 * crossing 80 % (once per crossing) and writes refused since the previous sample; `warnings` what `ps` says.
 */
export class Pressure {
  #high = false;
  #lastRejected: number | null = null;
  #rejectingUntil = 0;
  #last: MemorySample | null = null;

  observe(sample: MemorySample, now: number): PressureEvent[] {
    const events: PressureEvent[] = [];
    const ratio = sample.maxmemory > 0 ? sample.usedMemory / sample.maxmemory : 0;
    const high = ratio >= MEMORY_HIGH_RATIO;
    if (high && !this.#high) events.push({ type: 'redis:memory-high', ratio });
    this.#high = high;
    // A restarted server counts from zero again: only growth since the last sample is news.
    const rejected =
      this.#lastRejected !== null && sample.rejectedWrites >= this.#lastRejected
        ? sample.rejectedWrites - this.#lastRejected
        : 0;
    if (rejected > 0) {
      events.push({ type: 'redis:rejecting', rejected });
      this.#rejectingUntil = now + REJECTING_WARN_MS;
    }
    this.#lastRejected = sample.rejectedWrites;
    this.#last = sample;
    return events;
  }

  warnings(now: number): string[] {
    const last = this.#last;
    if (last === null) return [];
    const out: string[] = [];
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    if (this.#high) {
      out.push(
        `Redis memory is at ${Math.round((last.usedMemory / last.maxmemory) * 100)} % of maxmemory (${mib(last.usedMemory)} of ${mib(last.maxmemory)}): at 100 % writes fail`,
      );
    }
    if (now < this.#rejectingUntil) {
      out.push(
        `Redis is refusing writes (OOM command not allowed): maxmemory ${mib(last.maxmemory)} is full; free keys or raise NIGHTSHIFT_REDIS_MAXMEMORY`,
      );
    }
    return out;
  }
}
