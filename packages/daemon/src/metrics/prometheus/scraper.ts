import type { Clock } from '../../runtime/clock.js';
import { systemTimers, type Timer, type Timers } from '../../runtime/timers.js';
import { replicaPort } from '../../process/ports.js';
import type { ReplicaTarget } from '../../supervisor/targets.js';
import { type Family, parseExposition } from './exposition.js';
import { fetchLoopback } from './fetch.js';

export const SCRAPE_INTERVAL_MS = 15_000;
export const SCRAPE_TIMEOUT_MS = 5_000;
/** A new target's first scrape comes within this long (or its interval, when shorter). */
const FIRST_SPREAD_MS = 15_000;
/** How often due targets are looked for; each target keeps its own interval. */
const TICK_MS = 1_000;

/** The last scrape of one replica. */
export interface ScrapeResult {
  readonly app: string;
  readonly process: string;
  readonly replica: string;
  readonly up: boolean;
  readonly durationSeconds: number;
  /** Empty when the scrape failed. */
  readonly families: readonly Family[];
  readonly error: string | null;
  /** Scrapes of this replica that failed since the daemon started. */
  readonly failures: number;
}

export interface ScraperDeps {
  readonly clock: Clock;
  readonly targets: () => readonly ReplicaTarget[];
  readonly onError: (err: unknown) => void;
  /** The replicas' endpoint, by port and path; a test or bench may stand in. */
  readonly fetch?: (port: number, path: string, timeoutMs: number) => Promise<string>;
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly timers?: Timers;
}

interface Slot {
  due: number;
  inFlight: boolean;
  failures: number;
  result: ScrapeResult | null;
}

/**
 * Scrapes every replica whose process has `metrics`, each on its own interval, concurrently and never more than
 * one request per replica at a time. A slow or failing target only marks its own result down: nothing here
 * waits on a target, so it cannot hold up the daemon.
 */
export class Scraper {
  #deps: ScraperDeps;
  #slots = new Map<string, Slot>();
  #timer: Timer | null = null;
  #stopped = true;
  #worked = false;

  constructor(deps: ScraperDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#stopped = false;
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = null;
  }

  /** True when a scrape ended since the last call (the compactor gives its garbage back). */
  takeWorked(): boolean {
    const worked = this.#worked;
    this.#worked = false;
    return worked;
  }

  /** The latest result of every replica that is scraped, in target order. */
  results(): ScrapeResult[] {
    const out: ScrapeResult[] = [];
    for (const slot of this.#slots.values()) if (slot.result) out.push(slot.result);
    return out;
  }

  /** Starts the scrapes that are due; resolves when they have all ended (the timer does not wait). */
  tick(): Promise<void> {
    const now = this.#deps.clock.monotonic();
    const seen = new Set<string>();
    const started: Promise<void>[] = [];
    for (const t of this.#deps.targets()) {
      if (t.metrics === null) continue;
      const key = `${t.app}/${t.replica}`;
      seen.add(key);
      let slot = this.#slots.get(key);
      if (!slot) {
        // A new target's first scrape comes at a random point of its interval, so 50 replicas deployed together
        // are not fetched in one burst every interval (a burst's buffers live together and get promoted to V8's
        // old space, which the daemon's RSS then keeps).
        const first = now + Math.random() * Math.min(this.#intervalOf(t), FIRST_SPREAD_MS);
        this.#slots.set(key, (slot = { due: first, inFlight: false, failures: 0, result: null }));
      }
      if (slot.inFlight || now < slot.due) continue;
      slot.inFlight = true;
      slot.due = now + this.#intervalOf(t);
      started.push(this.#scrape(t, slot));
    }
    // A replica that is gone (scaled down, stopped) is no longer a target.
    for (const key of this.#slots.keys()) if (!seen.has(key)) this.#slots.delete(key);
    return Promise.all(started).then(() => undefined);
  }

  async #scrape(t: ReplicaTarget, slot: Slot): Promise<void> {
    const metrics = t.metrics!;
    const fetch = this.#deps.fetch ?? fetchLoopback;
    const began = this.#deps.clock.monotonic();
    const base = { app: t.app, process: t.process, replica: t.replica };
    try {
      const text = await fetch(
        replicaPort(metrics.port, t.idx),
        metrics.path,
        this.#deps.timeoutMs ?? SCRAPE_TIMEOUT_MS,
      );
      const families = parseExposition(text);
      slot.result = {
        ...base,
        up: true,
        durationSeconds: this.#since(began),
        families,
        error: null,
        failures: slot.failures,
      };
    } catch (err) {
      slot.failures++;
      slot.result = {
        ...base,
        up: false,
        durationSeconds: this.#since(began),
        families: [],
        error: (err as Error).message,
        failures: slot.failures,
      };
    } finally {
      slot.inFlight = false;
      this.#worked = true;
    }
  }

  #intervalOf(t: ReplicaTarget): number {
    return this.#deps.intervalMs ?? t.metrics?.intervalMs ?? SCRAPE_INTERVAL_MS;
  }

  #since(began: number): number {
    return (this.#deps.clock.monotonic() - began) / 1000;
  }

  #arm(): void {
    if (this.#stopped) return;
    const timers = this.#deps.timers ?? systemTimers;
    this.#timer = timers.after(TICK_MS, () => {
      this.tick().catch(this.#deps.onError);
      this.#arm();
    });
  }
}
