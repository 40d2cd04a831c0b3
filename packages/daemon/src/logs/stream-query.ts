import { matches } from './hub.js';
import { decodeRecord, isHeaderAt, NEWLINE, peekRecord } from './record.js';
import type { LogSnapshot, SnapshotFile } from './snapshot.js';
import type { LogLine, LogStream } from './types.js';

/** What `streamLast` selects: like `ScanSpec` in query.ts, for the last `limit` lines of the window. */
export interface StreamSpec {
  readonly app: string;
  readonly source?: string | undefined;
  readonly stream?: LogStream | undefined;
  readonly since?: number | undefined;
  readonly until?: number | undefined;
  readonly limit: number;
}

// Small blocks: each block's decoded lines are alive while they are sent, and V8 promotes what lives across
// two young collections to the old space, which it lets grow by tens of megabytes before it collects.
const BACKWARD_BLOCK = 64 * 1024;
const FORWARD_BLOCK = 16 * 1024;

/** Where a record starts: the index of its file in the process's list (oldest first) and the byte offset. */
interface Place {
  readonly file: number;
  readonly offset: number;
}

/**
 * The last `spec.limit` lines of the window, oldest first, merged across processes by id, without holding them:
 * a first pass reads the files backwards and only counts, merging the processes by id, to learn where each
 * process's share begins; a second pass reads forward from there and yields the lines as it decodes them.
 * Memory is one block and its lines per process, whatever the limit (`nightshift logs -n 1000000`).
 */
export async function* streamLast(snapshot: LogSnapshot, spec: StreamSpec): AsyncGenerator<LogLine> {
  const processes = [...snapshot.processes];
  const starts = new Map<string, Place>();
  let count = 0;
  const backward = processes.map(
    ([process, files]) => new Cursor(placesBackward(files, process, spec), (a, b) => a.seq > b.seq),
  );
  try {
    while (count < spec.limit) {
      const next = await pickHead(backward);
      if (next === null) break;
      const { item, index } = next;
      starts.set(processes[index]![0], item.place);
      count++;
    }
  } finally {
    await Promise.all(backward.map((cursor) => cursor.close()));
  }
  const forward = processes.map(([process, files]) => {
    const start = starts.get(process);
    return new Cursor(
      start === undefined ? empty() : linesForward(files, process, start, spec),
      (a, b) => a.seq < b.seq,
    );
  });
  try {
    for (let sent = 0; sent < count; sent++) {
      const next = await pickHead(forward);
      if (next === null) break;
      yield next.item.line;
    }
  } finally {
    await Promise.all(forward.map((cursor) => cursor.close()));
  }
}

interface Ordered {
  readonly seq: number;
}

/** A batched async source of items with one item in view; `before` orders two items for the merge. */
class Cursor<T extends Ordered> {
  readonly #source: AsyncGenerator<T[]>;
  readonly before: (a: T, b: T) => boolean;
  #batch: T[] = [];
  #at = 0;
  #done = false;

  constructor(source: AsyncGenerator<T[]>, before: (a: T, b: T) => boolean) {
    this.#source = source;
    this.before = before;
  }

  /** The item in view, reading the next batch when needed; null when the source is exhausted. */
  async head(): Promise<T | null> {
    while (this.#at >= this.#batch.length) {
      if (this.#done) return null;
      const next = await this.#source.next();
      if (next.done === true) {
        this.#done = true;
        return null;
      }
      this.#batch = next.value;
      this.#at = 0;
    }
    return this.#batch[this.#at]!;
  }

  advance(): void {
    this.#at++;
  }

  async close(): Promise<void> {
    await this.#source.return(undefined);
  }
}

/** Takes the first item by the cursors' order (ids are unique per app, so there are no ties). */
async function pickHead<T extends Ordered>(
  cursors: readonly Cursor<T>[],
): Promise<{ item: T; index: number } | null> {
  let best: { item: T; index: number } | null = null;
  for (const [index, cursor] of cursors.entries()) {
    const item = await cursor.head();
    if (item !== null && (best === null || cursor.before(item, best.item))) best = { item, index };
  }
  if (best !== null) cursors[best.index]!.advance();
  return best;
}

/** A source with nothing in it: a process none of whose lines is in the answer. */
async function* empty(): AsyncGenerator<never[]> {}

interface Located extends Ordered {
  readonly place: Place;
}

/**
 * The matching records of one process, newest first, one batch per block read. Times never decrease along the
 * files, so the first record before `since` ends the process.
 */
async function* placesBackward(
  files: readonly SnapshotFile[],
  process: string,
  spec: StreamSpec,
): AsyncGenerator<Located[]> {
  const { since = -Infinity, until = Infinity } = spec;
  const peek = { time: 0, seq: 0 };
  const work = new WorkBuffer(BACKWARD_BLOCK);
  for (let file = files.length - 1; file >= 0; file--) {
    const { handle, size } = await files[file]!.open();
    let pos = size;
    let headLength = 0;
    let seenNewline = false;
    while (pos > 0) {
      const len = Math.min(BACKWARD_BLOCK, pos);
      pos -= len;
      // The block read, then the unfinished start of the block after it (a line that began in this one).
      const block = work.room(len + headLength);
      block.copy(block, len, 0, headLength);
      const { bytesRead } = await handle.read(block, 0, len, pos);
      if (bytesRead < len)
        throw new Error(`log file shrank while read (${bytesRead} of ${len} bytes at ${pos})`);
      let end = len + headLength;
      if (!seenNewline) {
        // Bytes after the last newline are a record still being written: not part of the snapshot.
        end = block.lastIndexOf(NEWLINE, end - 1) + 1;
        if (end === 0) {
          headLength = 0;
          continue;
        }
        seenNewline = true;
      }
      const batch: Located[] = [];
      let stop = false;
      // The first line of the block may have begun in the previous block: it is kept for the next round,
      // unless this is the start of the file.
      while (end > 0) {
        const prev = end >= 2 ? block.lastIndexOf(NEWLINE, end - 2) : -1;
        if (prev < 0 && pos > 0) break;
        const start = prev + 1;
        if (!isHeaderAt(block, start) && peekRecord(block, start, end - 1, peek)) {
          if (peek.time < since) {
            stop = true;
            break;
          }
          if (peek.time < until && selected(block, start, end - 1, spec, process)) {
            batch.push({ seq: peek.seq, place: { file, offset: pos + start } });
          }
        }
        end = start;
      }
      if (batch.length > 0) yield batch;
      if (stop) return;
      headLength = end;
    }
  }
}

/**
 * One buffer reused for every block a pass reads. Fresh buffers per block are memory outside V8's heap that it
 * reclaims only after many of them piled up (docs/logs.md, "Measured").
 */
class WorkBuffer {
  #buf: Buffer;

  constructor(block: number) {
    this.#buf = Buffer.allocUnsafe(2 * block);
  }

  /** The buffer, at least `bytes` long; its contents are kept when it has to grow (a line longer than a block). */
  room(bytes: number): Buffer {
    if (bytes > this.#buf.length) {
      const bigger = Buffer.allocUnsafe(2 * bytes);
      this.#buf.copy(bigger);
      this.#buf = bigger;
    }
    return this.#buf;
  }
}

function selected(buf: Buffer, start: number, end: number, spec: StreamSpec, process: string): boolean {
  if (spec.source === undefined && spec.stream === undefined) return true;
  const line = decodeRecord(buf, start, end, spec.app, process);
  return (
    line !== null &&
    matches({ app: spec.app, source: spec.source, stream: spec.stream }, process, line.source, line.stream)
  );
}

interface Decoded extends Ordered {
  readonly line: LogLine;
}

/** The matching lines of one process from `from` on, oldest first, one batch per block read. */
async function* linesForward(
  files: readonly SnapshotFile[],
  process: string,
  from: Place,
  spec: StreamSpec,
): AsyncGenerator<Decoded[]> {
  const { since = -Infinity, until = Infinity } = spec;
  const filter = { app: spec.app, source: spec.source, stream: spec.stream };
  const work = new WorkBuffer(FORWARD_BLOCK);
  for (let file = from.file; file < files.length; file++) {
    const { handle, size } = await files[file]!.open();
    let pos = file === from.file ? from.offset : 0;
    // The start of a line the previous block ended in sits at the front of the buffer.
    let carryLength = 0;
    while (pos < size) {
      const len = Math.min(FORWARD_BLOCK, size - pos);
      const block = work.room(carryLength + len);
      const { bytesRead } = await handle.read(block, carryLength, len, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const filled = carryLength + bytesRead;
      const batch: Decoded[] = [];
      let start = 0;
      for (let nl = block.indexOf(NEWLINE); nl >= 0 && nl < filled; nl = block.indexOf(NEWLINE, start)) {
        if (!isHeaderAt(block, start)) {
          const line = decodeRecord(block, start, nl, spec.app, process);
          if (line !== null && line.time >= since) {
            if (line.time >= until) {
              if (batch.length > 0) yield batch;
              return;
            }
            if (matches(filter, process, line.source, line.stream))
              batch.push({ seq: Number(line.id), line });
          }
        }
        start = nl + 1;
      }
      carryLength = filled - start;
      block.copy(block, 0, start, filled);
      if (batch.length > 0) yield batch;
    }
  }
}
