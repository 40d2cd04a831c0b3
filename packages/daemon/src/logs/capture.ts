import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import type { AppLog } from './app-log.js';
import type { Hub, LogListener } from './hub.js';
import { LAST_LINES, ringFlags, type LastLines } from './last-lines.js';
import { NEWLINE, recordMiddle, TAB, toWords, writeDecimal } from './record.js';
import { chooseCut, SECRET_LOOKAHEAD } from './split.js';
import type { LogLine, LogStream, LogTarget } from './types.js';
import type { FileWriter } from './writer.js';

/** Lines longer than this many bytes are stored as pieces marked `continued`. */
export const LINE_LIMIT = 64 * 1024;
/** A partial line is held up to LINE_LIMIT plus a look-ahead (see chooseCut), then cut. */
const CARRY_BYTES = LINE_LIMIT + SECRET_LOOKAHEAD + 1;
/** Worst-case bytes of a record around its message: time, tab, seq digits, newline. */
const RECORD_OVERHEAD = 40;
/** Bytes searched for a newline by a JS loop before handing over to the native indexOf. */
const SCAN_BYTES = 64;
const TAB_BYTE = Buffer.from([TAB]);
/** Placeholders until a capture's first chunk: most replicas of a big deployment never write a line. */
const NO_BYTES = Buffer.alloc(0);
const NO_WORDS = new Int32Array(4);

export interface CaptureParts {
  readonly app: AppLog;
  readonly writer: FileWriter;
  readonly hub: Hub;
  /** The replica's ring for `lastLines`; null for run logs. */
  readonly ring: LastLines | null;
  readonly clock: () => number;
  readonly target: LogTarget;
  readonly stream: LogStream;
  /** Told the size of every chunk read (the service paces garbage collection with it). */
  readonly onRead: (bytes: number) => void;
}

/**
 * Turns one pipe into records. Per chunk: one clock read, one UTF-8 validation and (with a redactor) one
 * redaction test of the whole run of complete lines; when both pass, each line is copied byte for byte into the
 * writer's buffer with no string and no object made (the fast path). Otherwise lines go one by one through
 * decoding (invalid bytes become U+FFFD) and the redactor. A line's tail without a newline waits in `carry`
 * for the next chunk; a line over LINE_LIMIT leaves in pieces marked continued, cut at a character boundary.
 */
export class Capture {
  readonly #p: CaptureParts;
  #mid: Buffer = NO_BYTES;
  #midContinued: Buffer = NO_BYTES;
  readonly #flags: number;
  #carry: Buffer | null = null;
  #carryLen = 0;
  #hubVersion = -1;
  #midWords: Int32Array = NO_WORDS;
  #wordsTime: Buffer | null = null;
  #stampWords: Int32Array = NO_WORDS;
  #listeners: LogListener[] | null = null;

  constructor(parts: CaptureParts) {
    this.#p = parts;
    this.#flags = ringFlags(parts.stream, false);
  }

  /** The record's constant middle, made at the first chunk (a pipe that stays silent costs no buffers). */
  #prepareRecords(): void {
    const { target, stream } = this.#p;
    this.#mid = recordMiddle(target.source, stream, false);
    this.#midContinued = recordMiddle(target.source, stream, true);
    this.#midWords = toWords(this.#mid);
  }

  /** Reads `readable` to its end, pausing it while the writer is behind; resolves once every line is in the file. */
  run(readable: Readable): Promise<void> {
    const writer = this.#p.writer;
    return new Promise((resolve) => {
      let done = false;
      const resume = (): void => void readable.resume();
      const onData = (chunk: Buffer | string): void => {
        this.chunk(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        this.#p.onRead(chunk.length);
        writer.kick();
        if (writer.behind()) {
          readable.pause();
          writer.onDrain(resume);
        }
      };
      const finish = (): void => {
        if (done) return;
        done = true;
        readable.off('data', onData);
        this.end();
        void writer.flushed().then(resolve);
      };
      readable.on('data', onData);
      // `on`, not `once`: finish runs once anyway, and a once-wrapper per event per pipe adds up at 2,000 replicas.
      readable.on('end', finish);
      readable.on('close', finish);
      readable.on('error', finish);
    });
  }

  /** Consumes one chunk of the pipe. */
  chunk(chunk: Buffer): void {
    if (this.#mid === NO_BYTES) this.#prepareRecords();
    const app = this.#p.app;
    const time = app.stamp(this.#p.clock());
    app.ensureIds(chunk.length + 4);
    this.#refreshListeners();
    let start = 0;
    const end = chunk.lastIndexOf(NEWLINE) + 1;
    if (this.#carryLen > 0) {
      const first = chunk.indexOf(NEWLINE);
      if (first < 0) {
        this.#appendCarry(chunk, 0, chunk.length, time);
        return;
      }
      this.#appendCarry(chunk, 0, first, time);
      this.#flushCarry(time);
      start = first + 1;
    }
    if (start < end) {
      if (this.#fastPathAllowed(chunk, start, end)) this.#fastLines(chunk, start, end, time);
      else this.#slowLines(chunk, start, end, time);
    }
    if (Math.max(start, end) < chunk.length)
      this.#appendCarry(chunk, Math.max(start, end), chunk.length, time);
  }

  /** The pipe ended: a last line without a newline is kept. */
  end(): void {
    if (this.#carryLen > 0) {
      const time = this.#p.app.stamp(this.#p.clock());
      this.#p.app.ensureIds(this.#carryLen + 2);
      this.#refreshListeners();
      this.#flushCarry(time);
    }
    this.#carry = null;
    this.#p.writer.kick();
  }

  #refreshListeners(): void {
    const hub = this.#p.hub;
    if (hub.version === this.#hubVersion) return;
    this.#hubVersion = hub.version;
    const { target, stream } = this.#p;
    this.#listeners = hub.listenersFor(target.app, target.process, target.source, stream);
  }

  #fastPathAllowed(chunk: Buffer, start: number, end: number): boolean {
    if (!isUtf8(chunk.subarray(start, end))) return false;
    const redactor = this.#p.app.redactor;
    if (redactor === null) return true;
    const text = chunk.toString('utf8', start, end);
    return redactor(text) === text;
  }

  /**
   * The hot loop: complete, valid, clean lines copied byte for byte. The constant parts of a record (stamp,
   * source, stream) are stored four bytes at a time, and a short line is searched for its newline and copied
   * in the same pass, four bytes at a time (a word holds a newline iff the classic has-zero-byte test on
   * `word ^ 0x0a0a0a0a` fires). Stores may run up to three bytes past a field; the next field overwrites them
   * and `reserve` left room.
   */
  #fastLines(chunk: Buffer, start: number, end: number, time: number): void {
    const { app, writer, ring } = this.#p;
    const stamp = this.#timeWords(app);
    const t0 = stamp[0]!;
    const t1 = stamp[1]!;
    const t2 = stamp[2]!;
    const t3 = stamp[3]!;
    const stampLen = app.timeBytes.length + 1;
    const mid = this.#midWords;
    const midLen = this.#mid.length;
    const shortRecord = RECORD_OVERHEAD + midLen + SCAN_BYTES;
    const listeners = this.#listeners;
    const input = new DataView(chunk.buffer, chunk.byteOffset, chunk.length);
    let seq = app.seq;
    let buf = writer.cur;
    let out = writer.view;
    let pos = writer.pos;
    // Lines after the last over-long one each took exactly one id: the ring is filled from them afterwards.
    let plainFrom = start;
    let s = start;
    while (s < end) {
      if (buf.length - pos < shortRecord) {
        writer.pos = pos;
        writer.reserve(shortRecord);
        buf = writer.cur;
        out = writer.view;
        pos = writer.pos;
      }
      const recordStart = pos;
      out.setInt32(pos, t0, true);
      out.setInt32(pos + 4, t1, true);
      out.setInt32(pos + 8, t2, true);
      out.setInt32(pos + 12, t3, true);
      pos = writeDecimal(buf, pos + stampLen, ++seq);
      for (let k = 0; k < mid.length; k++) out.setInt32(pos + 4 * k, mid[k]!, true);
      pos += midLen;
      const stop = s + SCAN_BYTES < end ? s + SCAN_BYTES : end;
      let i = s;
      while (i + 4 <= stop) {
        const word = input.getInt32(i, true);
        const x = word ^ 0x0a0a0a0a;
        if (((x - 0x01010101) & ~x & 0x80808080) !== 0) break;
        out.setInt32(pos, word, true);
        pos += 4;
        i += 4;
      }
      while (i < stop && chunk[i] !== NEWLINE) buf[pos++] = chunk[i++]!;
      if (i < stop) {
        buf[pos++] = NEWLINE;
        if (listeners !== null) this.#emit(listeners, seq, time, chunk.toString('utf8', s, i), false);
        s = i + 1;
        continue;
      }
      // No newline within SCAN_BYTES: a longer line.
      const nl = chunk.indexOf(NEWLINE, stop);
      const len = nl - s;
      if (len > LINE_LIMIT || buf.length - pos < nl - i + 1) {
        pos = recordStart;
        seq--;
        writer.pos = pos;
        app.seq = seq;
        if (len > LINE_LIMIT) {
          this.#appendCarry(chunk, s, nl, time);
          this.#flushCarry(time);
          s = nl + 1;
          plainFrom = s;
        } else {
          writer.reserve(RECORD_OVERHEAD + midLen + len);
        }
        seq = app.seq;
        buf = writer.cur;
        out = writer.view;
        pos = writer.pos;
        continue;
      }
      chunk.copy(buf, pos, i, nl);
      pos += nl - i;
      buf[pos++] = NEWLINE;
      if (listeners !== null) this.#emit(listeners, seq, time, chunk.toString('utf8', s, nl), false);
      s = nl + 1;
    }
    writer.pos = pos;
    app.seq = seq;
    if (ring !== null) this.#ringTail(ring, chunk, plainFrom, end, seq, time);
  }

  /** Puts the last lines of `chunk[from, end)` (one id each, the last being `lastSeq`) into the ring. */
  #ringTail(ring: LastLines, chunk: Buffer, from: number, end: number, lastSeq: number, time: number): void {
    const starts: number[] = [];
    let e = end - 1;
    while (starts.length < LAST_LINES && e >= from) {
      const p = e - 1 >= from ? chunk.lastIndexOf(NEWLINE, e - 1) : -1;
      const lineStart = p + 1 > from ? p + 1 : from;
      starts.push(lineStart);
      e = lineStart - 1;
    }
    for (let k = starts.length - 1; k >= 0; k--) {
      const lineStart = starts[k]!;
      const lineEnd = chunk.indexOf(NEWLINE, lineStart);
      ring.pushBytes(chunk, lineStart, lineEnd, lastSeq - k, time, this.#flags);
    }
  }

  /** The stamp and its tab as four little-endian words (cached per millisecond). */
  #timeWords(app: AppLog): Int32Array {
    if (this.#wordsTime !== app.timeBytes) {
      this.#wordsTime = app.timeBytes;
      this.#stampWords = toWords(Buffer.concat([app.timeBytes, TAB_BYTE]));
    }
    return this.#stampWords;
  }

  #slowLines(chunk: Buffer, start: number, end: number, time: number): void {
    let s = start;
    while (s < end) {
      const nl = chunk.indexOf(NEWLINE, s);
      if (nl - s > LINE_LIMIT) {
        this.#appendCarry(chunk, s, nl, time);
        this.#flushCarry(time);
      } else {
        this.#piece(chunk, s, nl, time, false);
      }
      s = nl + 1;
    }
  }

  /** Writes one line or piece through decoding and redaction. */
  #piece(buf: Buffer, start: number, end: number, time: number, continued: boolean): void {
    const { app, writer, ring } = this.#p;
    let text = buf.toString('utf8', start, end);
    const redactor = app.redactor;
    if (redactor !== null) {
      const redacted = redactor(text);
      if (redacted !== text) text = redacted.includes('\n') ? redacted.replaceAll('\n', ' ') : redacted;
    }
    const mid = continued ? this.#midContinued : this.#mid;
    writer.reserve(RECORD_OVERHEAD + mid.length + Buffer.byteLength(text));
    const out = writer.cur;
    let pos = writer.pos;
    pos += app.timeBytes.copy(out, pos);
    out[pos++] = TAB;
    const seq = ++app.seq;
    pos = writeDecimal(out, pos, seq);
    pos += mid.copy(out, pos);
    pos += out.write(text, pos);
    out[pos++] = NEWLINE;
    writer.pos = pos;
    if (ring !== null) ring.pushString(text, seq, time, ringFlags(this.#p.stream, continued));
    if (this.#listeners !== null) this.#emit(this.#listeners, seq, time, text, continued);
  }

  #appendCarry(src: Buffer, start: number, end: number, time: number): void {
    this.#carry ??= Buffer.allocUnsafe(CARRY_BYTES);
    let s = start;
    while (s < end) {
      const n = Math.min(end - s, CARRY_BYTES - this.#carryLen);
      src.copy(this.#carry, this.#carryLen, s, s + n);
      this.#carryLen += n;
      s += n;
      if (this.#carryLen === CARRY_BYTES) this.#cutPiece(time);
    }
  }

  /** The carried line is complete: the pieces beyond LINE_LIMIT, then the rest. */
  #flushCarry(time: number): void {
    while (this.#carryLen > LINE_LIMIT) this.#cutPiece(time);
    this.#piece(this.#carry!, 0, this.#carryLen, time, false);
    this.#carryLen = 0;
  }

  #cutPiece(time: number): void {
    const carry = this.#carry!;
    const cut = chooseCut(carry, this.#carryLen, LINE_LIMIT, this.#p.app.redactor);
    this.#piece(carry, 0, cut, time, true);
    carry.copyWithin(0, cut, this.#carryLen);
    this.#carryLen -= cut;
  }

  #emit(listeners: LogListener[], seq: number, time: number, message: string, continued: boolean): void {
    const { target, stream } = this.#p;
    const base: LogLine = {
      id: String(seq),
      time,
      app: target.app,
      process: target.process,
      source: target.source,
      stream,
      message,
    };
    const line = continued ? { ...base, continued: true as const } : base;
    for (const listener of listeners) {
      try {
        listener(line);
      } catch {
        // A listener that throws must not stop capture; subscribers own their errors.
      }
    }
  }
}
