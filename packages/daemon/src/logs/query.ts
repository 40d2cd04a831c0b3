import { readFile } from 'node:fs/promises';
import { filesNewestFirst } from './files.js';
import { matches } from './hub.js';
import { firstSeq } from './first-seq.js';
import type { openLogFile } from './open-file.js';
import { scanBackward, scanForward } from './reader.js';
import { decodeRecord, isHeaderAt, NEWLINE, parseHeader, peekRecord } from './record.js';
import type { LogLine, LogStream } from './types.js';

/** What to read from an app's process files. `after` is an id (seq): only later lines. */
export interface ScanSpec {
  readonly processes: readonly string[];
  readonly source?: string;
  readonly stream?: LogStream;
  readonly since?: number;
  readonly until?: number;
  readonly after?: number;
  readonly limit: number;
  /** `last`: the newest `limit` lines of the selection; `first`: the oldest `limit` (paging forward after an id). */
  readonly take: 'last' | 'first';
  /** How a page after an id opens its files (the service keeps the last unpacked segment for the next page). */
  readonly open?: typeof openLogFile;
}

/**
 * Reads lines of one app from its current and rotated files, newest file first and each file from its end, so
 * the common "last 100" touches only the end of each process's current file. Because time and id never
 * decrease along a file, scanning stops at the first record before `since` or at/before `after`.
 */
export async function scanApp(logsDir: string, app: string, spec: ScanSpec): Promise<LogLine[]> {
  const perProcess = await Promise.all(
    spec.processes.map((process) =>
      spec.take === 'first' && spec.after !== undefined
        ? scanProcessAfter(logsDir, app, process, spec, spec.after)
        : scanProcess(logsDir, app, process, spec),
    ),
  );
  const all = perProcess.flat().sort((a, b) => Number(a.id) - Number(b.id));
  return spec.take === 'last' ? all.slice(Math.max(0, all.length - spec.limit)) : all.slice(0, spec.limit);
}

async function scanProcess(
  logsDir: string,
  app: string,
  process: string,
  spec: ScanSpec,
): Promise<LogLine[]> {
  const { since = -Infinity, until = Infinity, after = -1, limit } = spec;
  const filter = { app, source: spec.source, stream: spec.stream };
  const peek = { time: 0, seq: 0 };
  // Collected newest first; for `first` only the oldest `limit` matter, so the array is trimmed as it grows.
  let found: LogLine[] = [];
  const visit = (buf: Buffer, start: number, end: number): boolean => {
    if (isHeaderAt(buf, start) || !peekRecord(buf, start, end, peek)) return false;
    if (peek.seq <= after || peek.time < since) return true;
    if (peek.time >= until) return false;
    const line = decodeRecord(buf, start, end, app, process);
    if (line === null || !matches(filter, process, line.source, line.stream)) return false;
    found.push(line);
    if (spec.take === 'last') return found.length >= limit;
    if (found.length >= 2 * limit) found = found.slice(limit);
    return false;
  };
  for (const file of filesNewestFirst(logsDir, process)) {
    if (await scanBackward(file, visit)) break;
  }
  if (spec.take === 'first' && found.length > limit) found = found.slice(found.length - limit);
  return found.reverse();
}

/**
 * The oldest `limit` lines after `after`, read forward from the segment that holds the line after it: a
 * drain's replay or a resumed tail pages through a long backlog, and reading back from the newest line would
 * read (and unpack) every newer segment again for each page. The segment is found by a binary search over the
 * segments' first ids (ids rise along a process's files), each read from the segment's first kilobytes.
 */
async function scanProcessAfter(
  logsDir: string,
  app: string,
  process: string,
  spec: ScanSpec,
  after: number,
): Promise<LogLine[]> {
  const { since = -Infinity, until = Infinity, limit } = spec;
  const files = filesNewestFirst(logsDir, process).reverse();
  let from = 0;
  for (let lo = 0, hi = files.length - 1; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    const first = await firstSeq(files[mid]!);
    // A segment gone or empty counts as later: starting from an earlier one reads more, never misses a line.
    if (first !== null && first <= after) {
      from = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const filter = { app, source: spec.source, stream: spec.stream };
  const peek = { time: 0, seq: 0 };
  const found: LogLine[] = [];
  let done = false;
  const visit = (buf: Buffer, start: number, end: number): boolean => {
    if (isHeaderAt(buf, start) || !peekRecord(buf, start, end, peek)) return false;
    if (peek.seq <= after || peek.time < since) return false;
    if (peek.time >= until) return (done = true);
    const line = decodeRecord(buf, start, end, app, process);
    if (line === null || !matches(filter, process, line.source, line.stream)) return false;
    found.push(line);
    return (done = found.length >= limit);
  };
  for (let i = from; i < files.length && !done; i++) await scanForward(files[i]!, visit, spec.open);
  return found;
}

/** Every line of a run log file (cron run or build), in order, including the marker where it was cut. */
export async function readRunLogFile(path: string): Promise<LogLine[]> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const lines: LogLine[] = [];
  let app = '';
  let process = '';
  let start = 0;
  for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
    if (isHeaderAt(buf, start)) {
      const header = parseHeader(buf.toString('utf8', start, nl));
      if (header !== null) ({ app, process } = header);
    } else {
      const line = decodeRecord(buf, start, nl, app, process);
      if (line !== null) lines.push(line);
    }
    start = nl + 1;
  }
  return lines;
}
