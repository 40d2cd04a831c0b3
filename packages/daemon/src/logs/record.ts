/**
 * The on-disk record format (documented in docs/logs.md). Each file starts with one header line
 * `#nightshift-log 1 app=<app> process=<process>`; then one record a line:
 *
 *     <time ms>\t<seq>\t<source>\t<out|err>[+]\t<message>\n
 *
 * A `+` after the stream marks a piece of an over-long line that the next piece continues. The message is raw
 * UTF-8 (after replacement of invalid bytes and redaction) and never contains `\n`, so no escaping is needed and
 * capture copies the bytes straight from the pipe.
 */
import type { LogLine, LogStream } from './types.js';

export const FORMAT_VERSION = 1;
export const TAB = 9;
export const NEWLINE = 10;
const HASH = 35;
const PLUS = 43;

/** The header line written first in every log file. */
export function headerLine(app: string, process: string): string {
  return `#nightshift-log ${FORMAT_VERSION} app=${app} process=${process}\n`;
}

/** Reads `app` and `process` back from a header line; null when the line is not a header. */
export function parseHeader(line: string): { app: string; process: string } | null {
  const match = /^#nightshift-log (\d+) app=(\S+) process=(\S+)$/.exec(line);
  if (match === null) return null;
  return { app: match[2]!, process: match[3]! };
}

/** The bytes between the seq and the message: `\t<source>\t<stream>[+]\t`. */
export function recordMiddle(source: string, stream: LogStream, continued: boolean): Buffer {
  return Buffer.from(`\t${source}\t${stream}${continued ? '+' : ''}\t`, 'utf8');
}

/** Writes the decimal digits of a non-negative safe integer at `pos`; returns the position after them. */
export function writeDecimal(buf: Buffer, pos: number, value: number): number {
  let digits = 1;
  for (let p = 10; p <= value; p *= 10) digits++;
  const end = pos + digits;
  let i = end;
  let n = value;
  while (n >= 0x7fffffff) {
    const q = Math.floor(n / 10);
    buf[--i] = 48 + (n - q * 10);
    n = q;
  }
  while (n >= 10) {
    const q = (n / 10) | 0;
    buf[--i] = 48 + (n - q * 10);
    n = q;
  }
  buf[i - 1] = 48 + n;
  return end;
}

/** Parses the decimal digits in `buf[start, end)`; NaN when there are none or a non-digit. */
export function readDecimal(buf: Buffer, start: number, end: number): number {
  if (end <= start) return NaN;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** True when `buf[start]` begins a header (or any comment) line rather than a record. */
export function isHeaderAt(buf: Buffer, start: number): boolean {
  return buf[start] === HASH;
}

/**
 * The time and seq of the record in `buf[start, end)` (end excludes the newline), without decoding the
 * message. Returns false when the bytes are not a record.
 */
export function peekRecord(
  buf: Buffer,
  start: number,
  end: number,
  out: { time: number; seq: number },
): boolean {
  const t1 = buf.indexOf(TAB, start);
  if (t1 < 0 || t1 >= end) return false;
  const t2 = buf.indexOf(TAB, t1 + 1);
  if (t2 < 0 || t2 >= end) return false;
  out.time = readDecimal(buf, start, t1);
  out.seq = readDecimal(buf, t1 + 1, t2);
  return !Number.isNaN(out.time) && !Number.isNaN(out.seq);
}

/** Decodes the record in `buf[start, end)` into a `LogLine`; null when malformed. */
export function decodeRecord(
  buf: Buffer,
  start: number,
  end: number,
  app: string,
  process: string,
): LogLine | null {
  const t1 = buf.indexOf(TAB, start);
  const t2 = t1 < 0 ? -1 : buf.indexOf(TAB, t1 + 1);
  const t3 = t2 < 0 ? -1 : buf.indexOf(TAB, t2 + 1);
  const t4 = t3 < 0 ? -1 : buf.indexOf(TAB, t3 + 1);
  if (t4 < 0 || t4 >= end) return null;
  const time = readDecimal(buf, start, t1);
  const seq = readDecimal(buf, t1 + 1, t2);
  if (Number.isNaN(time) || Number.isNaN(seq)) return null;
  const continued = buf[t4 - 1] === PLUS;
  const stream = buf.toString('latin1', t3 + 1, continued ? t4 - 1 : t4);
  if (stream !== 'out' && stream !== 'err') return null;
  const line: LogLine = {
    id: String(seq),
    time,
    app,
    process,
    source: buf.toString('utf8', t2 + 1, t3),
    stream,
    message: buf.toString('utf8', t4 + 1, end),
  };
  return continued ? { ...line, continued: true } : line;
}

/** The record of `line` as a string (used off the hot path: markers and tests). */
export function encodeRecordString(line: Omit<LogLine, 'app' | 'process'>): string {
  return `${line.time}\t${line.id}\t${line.source}\t${line.stream}${line.continued ? '+' : ''}\t${line.message}\n`;
}

/** Bytes as little-endian 32-bit words, the last one padded with zeros. */
export function toWords(bytes: Buffer): Int32Array {
  // Byte by byte, no scratch buffer: it runs for every capture made and every new millisecond of a stamp.
  const words = new Int32Array((bytes.length + 3) >> 2);
  for (let i = 0; i < bytes.length; i++) words[i >> 2]! |= bytes[i]! << ((i & 3) * 8);
  return words;
}
