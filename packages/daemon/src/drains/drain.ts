import type { LogLine } from '../logs/types.js';
import type { DrainOptions, DrainStats } from './options.js';
import { mergePage, type ReplayReader } from './replay.js';
import { DeliveryError, type Transport } from './transport.js';

/**
 * Forwards lines to one receiver through a bounded buffer. `push` never blocks and never throws. A batch the
 * receiver refuses for good (HTTP 4xx other than 408/429) is counted as undelivered. Retriable failures keep
 * the batch and retry with exponential backoff, so a receiver that comes back gets what the buffer holds.
 *
 * When the buffer is full: without `replay` the oldest waiting line is dropped and counted. With `replay` the
 * drain starts a catch-up instead: it keeps what it holds, stops buffering live lines (they are on disk), and
 * once its buffer is delivered reads the stored lines after the newest one it held, page by page, and delivers
 * them. Lines pushed while a page is read are buffered; when a page comes back short (the files are caught up)
 * they continue it — minus those the page already had — and the drain is live again. A stored line retention
 * removed before it was read back is counted as undelivered when the catch-up ends.
 *
 * Delivery: idle → lingering (a batch is filling) → sending | reading a page → idle | backing off (→ sending);
 * `close` → closed. Intake: live → catching up (buffer full, with `replay`) → live (a short page).
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
  readonly #replay: ReplayReader | null;
  readonly #pageLines: number;
  /** Waiting lines in a ring: `#ring[(#head + k) % capacity]` for k < #size. */
  readonly #ring: Array<LogLine | undefined>;
  #head = 0;
  #size = 0;
  #inFlight = 0;
  /** Whether the batch in flight came from the ring (room is kept for it there) or from `#replayed`. */
  #inFlightFromRing = false;
  #delivered = 0;
  #undelivered = 0;
  #unreported = 0;
  #lastReport = -Infinity;
  #reportTimer: NodeJS.Timeout | null = null;
  #lastError: DrainStats['lastError'] = null;
  #attempt = 0;
  #timer: NodeJS.Timeout | null = null;
  /** A batch is being sent or a page read: the pump is running. */
  #sending = false;
  #closing = false;
  #closed = false;
  /** Id of the newest line taken in order while live (-1 before the first). */
  #lastSeq = -1;
  #catchingUp = false;
  /** Stored lines after this id are still to be read back. */
  #cursor = -1;
  /** A page is being read: pushed lines are buffered, as they may continue it. */
  #collecting = false;
  /** Lines pushed during this catch-up and left on disk, and how many of them were read back. */
  #left = 0;
  #recovered = 0;
  /** Stored lines read back, sent before the ring. */
  #replayed: LogLine[] = [];
  /** Id of the newest line delivered (or refused for good): the checkpoint a later daemon resumes after. */
  #deliveredThrough = -1;

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
    this.#replay = options.replay ?? null;
    this.#pageLines = Math.max(1, options.replayPageLines ?? Math.max(1000, Math.floor(this.#capacity / 2)));
    this.#ring = new Array<LogLine | undefined>(this.#capacity);
    if (options.resumeAfter !== undefined && this.#replay !== null) {
      // A previous daemon's drain delivered through this id: what it held, and what was captured since it
      // stopped, is on disk after it.
      this.#catchingUp = true;
      this.#cursor = this.#lastSeq = this.#deliveredThrough = options.resumeAfter;
      this.#timer = setTimeout(() => void this.#pump(), 0);
    } else if (options.liveAfter !== undefined) {
      this.#deliveredThrough = options.liveAfter;
    }
  }

  /** The id of the newest line delivered (refused lines count, they are done with); null before any. */
  checkpoint(): number | null {
    return this.#deliveredThrough >= 0 ? this.#deliveredThrough : null;
  }

  /** Queues a line for delivery (or, catching up, leaves it to be read back from the files). */
  push(line: LogLine): void {
    if (this.#closed) return this.#lose(1);
    if (this.#catchingUp && !this.#collecting) {
      this.#left++;
      return;
    }
    if (this.#size + this.#ringInFlight() >= this.#capacity) {
      if (this.#replay !== null) return this.#overflow();
      if (this.#size === 0) return this.#lose(1);
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#capacity;
      this.#size--;
      this.#lose(1);
    }
    this.#enqueue(line);
    if (!this.#catchingUp) this.#lastSeq = Number(line.id);
    if (!this.#sending && this.#timer === null)
      this.#timer = setTimeout(() => void this.#pump(), this.#lingerMs);
  }

  stats(): DrainStats {
    return {
      delivered: this.#delivered,
      undelivered: this.#undelivered,
      buffered: this.#size + this.#inFlight + this.#replayed.length + this.#onDisk(),
      catchingUp: this.#catchingUp,
      lastError: this.#lastError,
    };
  }

  /**
   * Tries once more to deliver what it holds in memory (waiting up to `graceMs`), counts the rest — and lines a
   * catch-up had yet to read back — as undelivered, closes. `resumable`: the rest is not lost but left to a
   * later drain resuming after `checkpoint()` (the daemon stops), so it is not counted.
   */
  async close(graceMs = 2000, { resumable = false }: { resumable?: boolean } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closing = true;
    const deadline = Date.now() + graceMs;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    while ((this.#size > 0 || this.#replayed.length > 0 || this.#sending) && Date.now() < deadline) {
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
    if (!resumable || this.#replay === null)
      this.#lose(this.#size + this.#inFlight + this.#replayed.length + this.#onDisk());
    this.#size = 0;
    this.#ring.fill(undefined);
    this.#replayed = [];
    this.#left = this.#recovered = 0;
    this.#report();
    this.#transport.close();
  }

  async #pump(): Promise<void> {
    this.#timer = null;
    while (!this.#closing) {
      let ok: boolean;
      if (this.#size > 0 || this.#replayed.length > 0) ok = await this.#sendOne();
      else if (this.#catchingUp) ok = await this.#readPage();
      else return;
      if (!ok) {
        const delay = Math.min(
          this.#maxBackoffMs,
          this.#backoffBaseMs * 2 ** Math.min(this.#attempt - 1, 30),
        );
        if (!this.#closing) this.#timer = setTimeout(() => void this.#pump(), delay);
        return;
      }
    }
  }

  /** Sends the oldest batch (read-back lines first); false when it failed and should be retried later. */
  async #sendOne(): Promise<boolean> {
    const fromRing = this.#replayed.length === 0;
    let batch: LogLine[];
    if (fromRing) {
      const count = Math.min(this.#size, this.#transport.maxBatch, Math.floor(this.#capacity / 2));
      batch = this.#take(count);
    } else {
      batch = this.#replayed.splice(0, this.#transport.maxBatch);
    }
    const count = batch.length;
    this.#inFlight = count;
    this.#inFlightFromRing = fromRing;
    this.#sending = true;
    try {
      await this.#transport.send(batch);
      this.#delivered += count;
      this.#attempt = 0;
      this.#through(batch);
      return true;
    } catch (error) {
      this.#lastError = { message: (error as Error).message, time: this.#clock() };
      if (error instanceof DeliveryError && !error.retriable) {
        this.#lose(count);
        this.#through(batch);
        return true;
      }
      this.#attempt++;
      if (fromRing) this.#requeue(batch);
      else this.#replayed.unshift(...batch);
      return false;
    } finally {
      this.#inFlight = 0;
      this.#sending = false;
    }
  }

  /**
   * Reads the next page of stored lines after `#cursor` into `#replayed` (only when nothing else waits, so order
   * holds); false when the read failed (retried later like a send).
   */
  async #readPage(): Promise<boolean> {
    this.#collecting = true;
    this.#sending = true;
    let page: LogLine[];
    try {
      page = await this.#replay!(String(this.#cursor), this.#pageLines);
    } catch (error) {
      this.#lastError = { message: `replay: ${(error as Error).message}`, time: this.#clock() };
      this.#attempt++;
      this.#collecting = false;
      this.#left += this.#size; // captured after the cursor: the next read finds them on disk
      this.#take(this.#size);
      return false;
    } finally {
      this.#sending = false;
    }
    // Still collecting means the buffer did not overflow during the read: it holds every line pushed since.
    const overflowed = !this.#collecting;
    this.#collecting = false;
    const { deliver, later, readBack, cursor } = mergePage(page, this.#take(this.#size), this.#cursor);
    this.#recovered += readBack;
    this.#replayed = deliver;
    this.#cursor = cursor;
    if (overflowed || page.length >= this.#pageLines) {
      this.#left += later.length; // on disk after the cursor: read with the next page
      return true;
    }
    this.#catchingUp = false;
    this.#lose(this.#onDisk());
    this.#left = this.#recovered = 0;
    for (const line of later) this.#enqueue(line);
    this.#lastSeq = later.length > 0 ? Number(later.at(-1)!.id) : cursor;
    return true;
  }

  /** A batch is done with (delivered or refused for good): batches go in id order, so its last id is the newest. */
  #through(batch: LogLine[]): void {
    const last = batch.length > 0 ? Number(batch[batch.length - 1]!.id) : -1;
    if (last > this.#deliveredThrough) this.#deliveredThrough = last;
  }

  /** The buffer is full and the lines are on disk: catch up from the files instead of dropping any. */
  #overflow(): void {
    this.#left++;
    if (this.#collecting) {
      // A page is being read: drop what was buffered since, it is after the cursor and read with the next page.
      this.#left += this.#size;
      this.#take(this.#size);
      this.#collecting = false;
      return;
    }
    this.#catchingUp = true;
    this.#cursor = this.#lastSeq;
  }

  /** Lines of the catch-up waiting on disk (or lost, which the end of the catch-up will tell). */
  #onDisk(): number {
    return Math.max(0, this.#left - this.#recovered);
  }

  #ringInFlight(): number {
    return this.#inFlightFromRing ? this.#inFlight : 0;
  }

  #enqueue(line: LogLine): void {
    this.#ring[(this.#head + this.#size) % this.#capacity] = line;
    this.#size++;
  }

  /** Removes and returns the `count` oldest waiting lines. */
  #take(count: number): LogLine[] {
    const out: LogLine[] = [];
    for (let k = 0; k < count; k++) {
      out.push(this.#ring[this.#head]!);
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#capacity;
    }
    this.#size -= count;
    return out;
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
