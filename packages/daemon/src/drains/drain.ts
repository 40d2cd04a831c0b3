import { hostname as osHostname } from 'node:os';
import type { LogLine } from '../logs/types.js';
import { lokiTransport, ndjsonTransport } from './http.js';
import { syslogTransport } from './syslog.js';
import { DeliveryError, type Transport } from './transport.js';
import { maskUrl, parseDrainUrl } from './url.js';

export interface DrainOptions {
  /** Told how many more lines could not be delivered (overflowed or refused); at most once per `reportIntervalMs`. */
  readonly onUndelivered?: (count: number) => void;
  /** Lines held (waiting and in flight) at most; beyond it the oldest waiting line is dropped and counted. */
  readonly bufferLines?: number;
  readonly clock?: () => number;
  /** First retry delay; it doubles per failed attempt up to `maxBackoffMs`. */
  readonly backoffBaseMs?: number;
  readonly maxBackoffMs?: number;
  /** How long lines may wait to fill a batch. */
  readonly lingerMs?: number;
  readonly reportIntervalMs?: number;
  /** An extra trusted CA (PEM) for TLS and HTTPS receivers with a private or test CA. */
  readonly ca?: string | Buffer;
  /** HOSTNAME of syslog messages; default the machine's name. */
  readonly hostname?: string;
  readonly timeoutMs?: number;
}

export interface DrainStats {
  readonly delivered: number;
  readonly undelivered: number;
  readonly buffered: number;
  readonly lastError: { readonly message: string; readonly time: number } | null;
}

/**
 * Creates a drain for `url` (`syslog+tcp://`, `syslog+tls://`, `https://`, `loki+https://`, `loki+http://`);
 * throws `NS_DRAIN_URL_INVALID` for anything else.
 */
export function createDrain(url: string, options: DrainOptions = {}): Drain {
  const endpoint = parseDrainUrl(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transport =
    endpoint.kind === 'syslog'
      ? syslogTransport({
          ...endpoint,
          ca: options.ca,
          hostname: options.hostname ?? osHostname(),
          connectTimeoutMs: timeoutMs,
        })
      : endpoint.kind === 'https'
        ? ndjsonTransport({ ...endpoint, ca: options.ca, timeoutMs })
        : lokiTransport({ ...endpoint, ca: options.ca, timeoutMs });
  return new Drain(maskUrl(url), transport, options);
}

/**
 * Forwards lines to one receiver through a bounded buffer. `push` never blocks and never throws: when the
 * buffer is full the oldest waiting line is dropped and counted as undelivered; a batch the receiver refuses
 * for good (HTTP 4xx other than 408/429) is counted too. Retriable failures keep the batch and retry with
 * exponential backoff, so a receiver that comes back gets what the buffer still holds.
 *
 * States: idle → lingering (a batch is filling) → sending → idle | backing off (→ sending) ; `close` → closed.
 */
export class Drain {
  readonly url: string;
  readonly #transport: Transport;
  readonly #capacity: number;
  readonly #clock: () => number;
  readonly #backoffBaseMs: number;
  readonly #maxBackoffMs: number;
  readonly #lingerMs: number;
  readonly #reportIntervalMs: number;
  readonly #onUndelivered: ((count: number) => void) | undefined;
  /** Waiting lines in a ring: `#ring[(#head + k) % capacity]` for k < #size. */
  readonly #ring: Array<LogLine | undefined>;
  #head = 0;
  #size = 0;
  #inFlight = 0;
  #delivered = 0;
  #undelivered = 0;
  #unreported = 0;
  #lastReport = -Infinity;
  #reportTimer: NodeJS.Timeout | null = null;
  #lastError: DrainStats['lastError'] = null;
  #attempt = 0;
  #timer: NodeJS.Timeout | null = null;
  #sending = false;
  #closed = false;

  constructor(url: string, transport: Transport, options: DrainOptions) {
    this.url = url;
    this.#transport = transport;
    this.#capacity = Math.max(2, options.bufferLines ?? 10_000);
    this.#clock = options.clock ?? Date.now;
    this.#backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.#lingerMs = options.lingerMs ?? 100;
    this.#reportIntervalMs = options.reportIntervalMs ?? 1000;
    this.#onUndelivered = options.onUndelivered;
    this.#ring = new Array<LogLine | undefined>(this.#capacity);
  }

  /** Queues a line for delivery. */
  push(line: LogLine): void {
    if (this.#closed) return this.#lose(1);
    if (this.#size + this.#inFlight >= this.#capacity) {
      if (this.#size === 0) return this.#lose(1);
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#capacity;
      this.#size--;
      this.#lose(1);
    }
    this.#ring[(this.#head + this.#size) % this.#capacity] = line;
    this.#size++;
    if (!this.#sending && this.#timer === null)
      this.#timer = setTimeout(() => void this.#pump(), this.#lingerMs);
  }

  stats(): DrainStats {
    return {
      delivered: this.#delivered,
      undelivered: this.#undelivered,
      buffered: this.#size + this.#inFlight,
      lastError: this.#lastError,
    };
  }

  /** Tries once more to deliver what is buffered (waiting up to `graceMs`), counts the rest as undelivered, closes. */
  async close(graceMs = 2000): Promise<void> {
    if (this.#closed) return;
    const deadline = Date.now() + graceMs;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    while ((this.#size > 0 || this.#sending) && Date.now() < deadline) {
      if (!this.#sending) {
        const ok = await this.#sendOne();
        if (!ok) break;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#lose(this.#size + this.#inFlight);
    this.#size = 0;
    this.#ring.fill(undefined);
    this.#report();
    this.#transport.close();
  }

  async #pump(): Promise<void> {
    this.#timer = null;
    while (this.#size > 0 && !this.#closed) {
      if (!(await this.#sendOne())) {
        const delay = Math.min(
          this.#maxBackoffMs,
          this.#backoffBaseMs * 2 ** Math.min(this.#attempt - 1, 30),
        );
        if (!this.#closed) this.#timer = setTimeout(() => void this.#pump(), delay);
        return;
      }
    }
  }

  /** Sends the oldest batch; false when it failed and should be retried later. */
  async #sendOne(): Promise<boolean> {
    const count = Math.min(this.#size, this.#transport.maxBatch, Math.floor(this.#capacity / 2));
    const batch: LogLine[] = [];
    for (let k = 0; k < count; k++) {
      batch.push(this.#ring[this.#head]!);
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#capacity;
    }
    this.#size -= count;
    this.#inFlight = count;
    this.#sending = true;
    try {
      await this.#transport.send(batch);
      this.#delivered += count;
      this.#attempt = 0;
      return true;
    } catch (error) {
      this.#lastError = { message: (error as Error).message, time: this.#clock() };
      if (error instanceof DeliveryError && !error.retriable) {
        this.#lose(count);
        return true;
      }
      this.#attempt++;
      this.#requeue(batch);
      return false;
    } finally {
      this.#inFlight = 0;
      this.#sending = false;
    }
  }

  /** Puts a failed batch back in front of the waiting lines (room is kept for it while it is in flight). */
  #requeue(batch: LogLine[]): void {
    for (let k = batch.length - 1; k >= 0; k--) {
      this.#head = (this.#head - 1 + this.#capacity) % this.#capacity;
      this.#ring[this.#head] = batch[k];
      this.#size++;
    }
  }

  #lose(count: number): void {
    if (count <= 0) return;
    this.#undelivered += count;
    this.#unreported += count;
    if (this.#reportTimer === null) {
      const wait = Math.max(0, this.#lastReport + this.#reportIntervalMs - Date.now());
      this.#reportTimer = setTimeout(() => this.#report(), wait);
      this.#reportTimer.unref();
    }
  }

  #report(): void {
    if (this.#reportTimer !== null) clearTimeout(this.#reportTimer);
    this.#reportTimer = null;
    if (this.#unreported === 0) return;
    const count = this.#unreported;
    this.#unreported = 0;
    this.#lastReport = Date.now();
    this.#onUndelivered?.(count);
  }
}
