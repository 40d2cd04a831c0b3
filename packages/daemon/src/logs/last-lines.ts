import type { LogLine, LogStream } from './types.js';

/** How many lines a replica's ring keeps for crash events. */
export const LAST_LINES = 20;

const ERR = 1;
const CONTINUED = 2;
const NO_BYTES = Buffer.alloc(0);
const NO_INTS = new Int32Array(0);
const NO_FLOATS = new Float64Array(0);
const NO_FLAGS = new Uint8Array(0);

/** Flags of a record for the ring: bit 0 the stream, bit 1 continued. */
export function ringFlags(stream: LogStream, continued: boolean): number {
  return (stream === 'err' ? ERR : 0) | (continued ? CONTINUED : 0);
}

/**
 * The last lines of one replica, kept in memory for crash events. The hot path stores only positions into
 * the chunk it read (a reference, no copy, no decoding); lines are decoded when someone asks.
 */
export class LastLines {
  // Allocated at the first line: a replica that never writes (most of a 2,000-replica deployment of
  // sleepers) keeps none of them.
  #refs: Array<Buffer | string | undefined> = [];
  #starts = NO_INTS;
  #ends = NO_INTS;
  #seqs = NO_FLOATS;
  #times = NO_FLOATS;
  #flags = NO_FLAGS;
  #next = 0;
  #count = 0;
  readonly #process: string;

  constructor(process: string) {
    this.#process = process;
  }

  pushBytes(buf: Buffer, start: number, end: number, seq: number, time: number, flags: number): void {
    if (this.#starts === NO_INTS) this.#allocate();
    const i = this.#next;
    this.#refs[i] = buf;
    this.#starts[i] = start;
    this.#ends[i] = end;
    this.#seqs[i] = seq;
    this.#times[i] = time;
    this.#flags[i] = flags;
    this.#next = i === LAST_LINES - 1 ? 0 : i + 1;
    if (this.#count < LAST_LINES) this.#count++;
  }

  pushString(message: string, seq: number, time: number, flags: number): void {
    this.pushBytes(NO_BYTES, 0, 0, seq, time, flags);
    this.#refs[this.#next === 0 ? LAST_LINES - 1 : this.#next - 1] = message;
  }

  #allocate(): void {
    this.#refs = new Array<Buffer | string | undefined>(LAST_LINES);
    this.#starts = new Int32Array(LAST_LINES);
    this.#ends = new Int32Array(LAST_LINES);
    this.#seqs = new Float64Array(LAST_LINES);
    this.#times = new Float64Array(LAST_LINES);
    this.#flags = new Uint8Array(LAST_LINES);
  }

  /** The last `n` lines, oldest first. */
  lines(app: string, source: string, n: number): LogLine[] {
    const process = this.#process;
    const out: LogLine[] = [];
    const take = Math.min(n, this.#count);
    for (let k = take; k >= 1; k--) {
      const i = (this.#next - k + LAST_LINES) % LAST_LINES;
      const ref = this.#refs[i]!;
      const message = typeof ref === 'string' ? ref : ref.toString('utf8', this.#starts[i], this.#ends[i]);
      const flags = this.#flags[i]!;
      const line: LogLine = {
        id: String(this.#seqs[i]),
        time: this.#times[i]!,
        app,
        process,
        source,
        stream: flags & ERR ? 'err' : 'out',
        message,
      };
      out.push(flags & CONTINUED ? { ...line, continued: true } : line);
    }
    return out;
  }
}
