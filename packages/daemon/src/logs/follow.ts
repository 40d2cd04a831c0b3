import { LogError } from './errors.js';
import type { Hub } from './hub.js';
import type { LogFilter, LogLine } from './types.js';

export interface FollowOptions {
  /** Resume after this id (an SSE `Last-Event-ID`): stored lines after it come first, then live ones. */
  readonly after?: string;
  /** Live lines a slow consumer may fall behind before it is dropped; default 10,000. */
  readonly maxQueue?: number;
}

/** Reads the next page of stored lines after a seq (flushing writers first, so nothing sits in between). */
export type PageReader = (afterSeq: number, limit: number) => Promise<LogLine[]>;

const PAGE_LINES = 1000;

/**
 * A live tail for one consumer (an SSE response): iterate it with `for await`. Its queue is bounded: a
 * consumer more than `maxQueue` lines behind is dropped — the iteration throws `NS_LOG_FOLLOWER_DROPPED`
 * naming the last id delivered, and a new follower with `after` set to that id resumes from the files without
 * a gap or a duplicate. Capture never waits for a follower.
 *
 * States: catching up (paging stored lines after `after`; a queue overflow meanwhile only means "read the
 * files again") → live (yielding queued lines) → closed (by `close`, by the consumer leaving the loop, or
 * dropped).
 */
export class Follower implements AsyncIterable<LogLine> {
  readonly #maxQueue: number;
  readonly #after: number | undefined;
  readonly #readPage: PageReader;
  readonly #unsubscribe: () => void;
  #queue: LogLine[] = [];
  #head = 0;
  #catchingUp = false;
  #overflowed = false;
  #dropped = false;
  #closed = false;
  #lastSeq = -1;
  #wake: (() => void) | null = null;

  constructor(hub: Hub, filter: LogFilter, options: FollowOptions, readPage: PageReader) {
    this.#maxQueue = options.maxQueue ?? 10_000;
    this.#after = options.after === undefined ? undefined : Number(options.after);
    this.#readPage = readPage;
    this.#unsubscribe = hub.subscribe(filter, (line) => this.#push(line));
  }

  /** The id of the last line delivered ('' before the first). */
  get lastId(): string {
    return this.#lastSeq < 0 ? (this.#after === undefined ? '' : String(this.#after)) : String(this.#lastSeq);
  }

  /** Stops following; a pending iteration ends. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    this.#queue = [];
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LogLine> {
    try {
      if (this.#after !== undefined) yield* this.#catchUp(this.#after);
      for (;;) {
        while (this.#head < this.#queue.length) {
          const line = this.#queue[this.#head++]!;
          const seq = Number(line.id);
          if (seq <= this.#lastSeq) continue;
          this.#lastSeq = seq;
          yield line;
        }
        this.#queue = [];
        this.#head = 0;
        if (this.#dropped) {
          throw new LogError(
            'NS_LOG_FOLLOWER_DROPPED',
            `log follower fell more than ${this.#maxQueue} lines behind and was dropped after id ${this.lastId}`,
            `follow again with after=${this.lastId} (SSE: reconnect with Last-Event-ID) to resume from the stored lines`,
          );
        }
        if (this.#closed) return;
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = null;
      }
    } finally {
      this.close();
    }
  }

  async *#catchUp(after: number): AsyncGenerator<LogLine> {
    this.#catchingUp = true;
    this.#lastSeq = after;
    do {
      // Whatever is queued now was captured before the flush inside readPage, so the files hold it.
      this.#overflowed = false;
      this.#queue = [];
      this.#head = 0;
      for (;;) {
        const page = await this.#readPage(this.#lastSeq, PAGE_LINES);
        for (const line of page) {
          this.#lastSeq = Number(line.id);
          yield line;
          if (this.#closed) return;
        }
        if (page.length < PAGE_LINES) break;
      }
    } while (this.#overflowed);
    this.#catchingUp = false;
  }

  #push(line: LogLine): void {
    if (this.#closed || this.#dropped) return;
    this.#queue.push(line);
    if (this.#queue.length - this.#head > this.#maxQueue) {
      this.#queue = [];
      this.#head = 0;
      if (this.#catchingUp) {
        this.#overflowed = true;
      } else {
        this.#dropped = true;
        this.#unsubscribe();
      }
    }
    this.#wake?.();
  }
}
