import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync, writev } from 'node:fs';
import { dirname } from 'node:path';
import { LogError } from './errors.js';
import { currentFile, GZIP_SUFFIX, listGenerations, rotatedFile } from './files.js';
import { encodeRecordString, NEWLINE, peekRecord, TAB } from './record.js';

/**
 * How a file stays bounded: process files rotate by size (read at each batch: an app's retention can change
 * it) and tell retention, optionally with a file count; run logs stop at a cap.
 */
export type WriterPolicy =
  | {
      readonly kind: 'rotate';
      readonly logsDir: string;
      readonly process: string;
      readonly maxFileBytes: () => number;
      readonly maxFiles: number | null;
      /** Called after each rotation, between two writes: retention runs here, before the new file grows. */
      readonly onRotated: () => void;
    }
  | { readonly kind: 'cap'; readonly capBytes: number };

export interface WriterOptions {
  readonly path: string;
  readonly header: string;
  readonly policy: WriterPolicy;
  /** Told about write failures; the writer keeps the data and retries, so capture stalls instead of dropping. */
  readonly onError: (error: LogError) => void;
}

/** Size of one record buffer; a batch is every buffer filled while the previous batch was being written. */
const BUFFER_BYTES = 128 * 1024;
/** Bytes buffered (not counting the batch in flight) above which captures pause their pipes. */
export const HIGH_WATER_BYTES = 1024 * 1024;
/** Spare buffers kept while busy, so a flood reuses the same memory instead of making garbage for the GC. */
const MAX_SPARE = HIGH_WATER_BYTES / BUFFER_BYTES + 4;
const RETRY_MS = 1000;
const IDLE_RELEASE_MS = 2000;
const EMPTY = Buffer.alloc(0);

/**
 * The single writer of one log file, shared by every capture that writes to it. Captures encode records
 * straight into `cur` at `pos` (after `reserve`) and call `kick`; the writer hands whole buffers to the file
 * with one `writev` per batch, rotating or capping at record boundaries. `behind()` tells a capture to pause its
 * pipe until `onDrain` calls back: memory stays bounded and no record is dropped.
 *
 * States: idle (nothing buffered) → writing (a batch in flight; further records collect) → idle; `close` flushes
 * and ends in closed. A failed write is retried every second with the data kept (the pipes stay paused).
 */
export class FileWriter {
  /** The buffer records are encoded into; valid up to `pos`. */
  cur: Buffer = EMPTY;
  /** A view of `cur` for word-sized stores. */
  view: DataView = new DataView(EMPTY.buffer, EMPTY.byteOffset, 0);
  pos = 0;
  /** Captures currently using this writer (run log writers close when it falls to zero). */
  users = 0;

  readonly #options: WriterOptions;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #spare: Buffer[] = [];
  #sealed = 0;
  #written = 0;
  #writing = false;
  #closed = false;
  #fd = -1;
  #size = 0;
  #cut = false;
  #nextGeneration = 1;
  #idleTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #drainWaiters: Array<() => void> = [];
  #flushWaiters: Array<{ mark: number; resolve: () => void }> = [];

  constructor(options: WriterOptions) {
    this.#options = options;
  }

  get path(): string {
    return this.#options.path;
  }

  /** Makes room for `bytes` more in `cur`, sealing the current buffer into the write queue when it is full. */
  reserve(bytes: number): void {
    if (this.cur.length - this.pos >= bytes) return;
    this.#seal();
    this.cur =
      bytes <= BUFFER_BYTES && this.#spare.length > 0
        ? this.#spare.pop()!
        : Buffer.allocUnsafe(Math.max(BUFFER_BYTES, bytes));
    this.view = new DataView(this.cur.buffer, this.cur.byteOffset, this.cur.length);
  }

  /** Starts writing what is buffered unless a batch is already in flight (it picks the rest up when done). */
  kick(): void {
    if (this.#closed) return this.#discard();
    if (!this.#writing && (this.pos > 0 || this.#queue.length > 0)) {
      // Failures are reported through onError and retried inside; only a close can end #run early.
      this.#running = this.#run().catch(() => this.#discard());
    }
  }

  /**
   * After `close` (the app was removed, the daemon is stopping) a straggling capture's records are thrown away
   * instead of reopening the file or pausing its pipe forever.
   */
  #discard(): void {
    this.#written = this.#sealed + this.pos;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.pos = 0;
    this.#wake();
  }

  /** True when captures should stop reading their pipes until `onDrain`. */
  behind(): boolean {
    return this.#queuedBytes + this.pos > HIGH_WATER_BYTES;
  }

  /** Calls `resume` once the buffered bytes fell below the high-water mark. */
  onDrain(resume: () => void): void {
    this.#drainWaiters.push(resume);
    this.kick();
  }

  /** A position in the stream of bytes appended so far, for `flushed`. */
  mark(): number {
    return this.#sealed + this.pos;
  }

  /** Resolves when every byte appended before `mark` has been handed to the file. */
  flushed(mark = this.mark()): Promise<void> {
    if (this.#written >= mark) return Promise.resolve();
    return new Promise((resolve) => {
      this.#flushWaiters.push({ mark, resolve });
      this.kick();
    });
  }

  /** Flushes everything and closes the file. */
  async close(): Promise<void> {
    await this.flushed();
    this.#closed = true;
    await this.#running;
    this.#discard();
    clearTimeout(this.#idleTimer);
    this.#release();
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }

  #seal(): void {
    if (this.pos > 0) {
      this.#queue.push(this.cur.subarray(0, this.pos));
      this.#queuedBytes += this.pos;
      this.#sealed += this.pos;
    }
    this.cur = EMPTY;
    this.pos = 0;
  }

  async #run(): Promise<void> {
    this.#writing = true;
    while (this.#queue.length > 0 || this.pos > 0) {
      this.#seal();
      const batch = this.#queue;
      const bytes = this.#queuedBytes;
      this.#queue = [];
      this.#queuedBytes = 0;
      await this.#writeBatch(batch);
      this.#written += bytes;
      for (const part of batch) this.#recycle(part);
      this.#wake();
    }
    this.#writing = false;
    this.#wake();
    this.#idleTimer ??= setTimeout(() => this.#release(), IDLE_RELEASE_MS).unref();
    this.#idleTimer.refresh();
  }

  /** Idle for a while: give the buffers back, so thousands of quiet files cost no memory. */
  #release(): void {
    if (this.#writing) return;
    this.#spare = [];
    if (this.pos === 0) this.cur = EMPTY;
  }

  #recycle(part: Buffer): void {
    if (part.byteOffset === 0 && part.buffer.byteLength === BUFFER_BYTES && this.#spare.length < MAX_SPARE) {
      this.#spare.push(Buffer.from(part.buffer, 0, BUFFER_BYTES));
    }
  }

  #wake(): void {
    if (this.#flushWaiters.length > 0) {
      const waiting = this.#flushWaiters;
      this.#flushWaiters = [];
      for (const waiter of waiting) {
        if (this.#written >= waiter.mark) waiter.resolve();
        else this.#flushWaiters.push(waiter);
      }
    }
    if (this.#drainWaiters.length > 0 && !this.behind()) {
      const waiting = this.#drainWaiters;
      this.#drainWaiters = [];
      for (const resume of waiting) resume();
    }
  }

  /** Writes whole buffers of records, splitting at a record boundary where the file must rotate or stop. */
  async #writeBatch(batch: Buffer[]): Promise<void> {
    const policy = this.#options.policy;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const limit = policy.kind === 'rotate' ? policy.maxFileBytes() : policy.capBytes;
    await this.#ensureOpen();
    for (let part of batch) {
      if (this.#cut) continue;
      while (this.#size + pendingBytes + part.length > limit) {
        const room = limit - this.#size - pendingBytes;
        const end = room > 0 ? part.lastIndexOf(NEWLINE, room - 1) + 1 : 0;
        if (end > 0) {
          pending.push(part.subarray(0, end));
          pendingBytes += end;
          part = part.subarray(end);
        }
        if (policy.kind === 'cap') {
          pending.push(Buffer.from(this.#cutMarker(part, policy.capBytes)));
          pendingBytes += pending[pending.length - 1]!.length;
          this.#cut = true;
          break;
        }
        if (pendingBytes === 0 && this.#size <= this.#options.header.length) {
          // One record larger than a whole file: store it alone rather than loop.
          const one = part.indexOf(NEWLINE) + 1;
          pending.push(part.subarray(0, one));
          pendingBytes += one;
          part = part.subarray(one);
        }
        await this.#writeAll(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        await this.#rotate(policy);
        if (part.length === 0) break;
      }
      if (this.#cut || part.length === 0) continue;
      pending.push(part);
      pendingBytes += part.length;
    }
    if (pendingBytes > 0) await this.#writeAll(pending, pendingBytes);
  }

  /** The marker stored where a run log is cut; it takes the id and time of the first record left out. */
  #cutMarker(rest: Buffer, capBytes: number): string {
    const at = { time: 0, seq: 0 };
    const end = rest.indexOf(NEWLINE);
    peekRecord(rest, 0, end, at);
    const t1 = rest.indexOf(TAB);
    const t2 = rest.indexOf(TAB, t1 + 1);
    const t3 = rest.indexOf(TAB, t2 + 1);
    const source = rest.toString('utf8', t2 + 1, t3);
    const message = `[nightshift] run log cut here: it reached its cap of ${capBytes} bytes; the rest of this run's output is not stored`;
    return encodeRecordString({ id: String(at.seq), time: at.time, source, stream: 'err', message });
  }

  async #ensureOpen(): Promise<void> {
    while (this.#fd < 0) {
      try {
        this.#open();
      } catch (error) {
        await this.#failed('open', error);
      }
    }
  }

  #open(): void {
    const { path, header, policy } = this.#options;
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'a');
    let size = fstatSync(fd).size;
    if (size === 0) size = writeSync(fd, header);
    this.#fd = fd;
    this.#size = size;
    if (policy.kind === 'rotate') {
      const gens = listGenerations(policy.logsDir, policy.process);
      this.#nextGeneration = (gens[gens.length - 1] ?? 0) + 1;
    }
  }

  async #rotate(policy: WriterPolicy): Promise<void> {
    if (policy.kind !== 'rotate') return;
    closeSync(this.#fd);
    this.#fd = -1;
    const { logsDir, process, maxFiles } = policy;
    renameSync(currentFile(logsDir, process), rotatedFile(logsDir, process, this.#nextGeneration++));
    if (maxFiles !== null) {
      const gens = listGenerations(logsDir, process);
      while (gens.length > maxFiles - 1) {
        const oldest = rotatedFile(logsDir, process, gens.shift()!);
        rmSync(oldest, { force: true });
        rmSync(oldest + GZIP_SUFFIX, { force: true });
      }
    }
    policy.onRotated();
    await this.#ensureOpen();
  }

  async #writeAll(parts: Buffer[], bytes: number): Promise<void> {
    let rest = parts;
    let left = bytes;
    while (left > 0) {
      try {
        const done = await writevFd(this.#fd, rest);
        this.#size += done;
        left -= done;
        if (left > 0) rest = dropBytes(rest, done);
      } catch (error) {
        await this.#failed('write', error);
      }
    }
  }

  async #failed(what: string, error: unknown): Promise<void> {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    this.#options.onError(
      new LogError(
        'NS_LOG_WRITE_FAILED',
        `cannot ${what} log file ${this.#options.path} (${code}); capture is paused and retries every second`,
        'free disk space or fix the permissions of the daemon home; no line is dropped meanwhile',
        { cause: error },
      ),
    );
    if (this.#closed) throw error;
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

function writevFd(fd: number, parts: Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    writev(fd, parts, (error, written) => (error ? reject(error) : resolve(written)));
  });
}

function dropBytes(parts: Buffer[], count: number): Buffer[] {
  const rest: Buffer[] = [];
  let skip = count;
  for (const part of parts) {
    if (skip >= part.length) {
      skip -= part.length;
      continue;
    }
    rest.push(skip > 0 ? part.subarray(skip) : part);
    skip = 0;
  }
  return rest;
}
