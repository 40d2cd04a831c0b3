import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { filesNewestFirst, GZIP_SUFFIX, isCompressed } from '../../src/logs/files.js';

/** What the checker found for one source. */
export interface SourceReport {
  count: number;
  first: number;
  last: number;
  /** Records whose number is not the previous one plus one, or whose message is not exactly one emitted line. */
  broken: number;
}

/**
 * Reads a process's files oldest first (compressed segments unpacked) and checks the emitter's numbered lines (`<tag> <n> [padding]`): per
 * source, numbers must follow each other by one (nothing lost, duplicated, reordered), every message must be
 * one whole line of the expected length (nothing split or merged) and no record may be marked continued.
 */
export function checkFloodFiles(
  dir: string,
  app: string,
  process: string,
  lineBytes: number,
): Map<string, SourceReport> {
  const logsDir = join(dir, app, 'logs');
  const files = filesNewestFirst(logsDir, process).reverse();
  const reports = new Map<string, SourceReport>();
  for (const file of files) {
    const text = readLog(file);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const record = text.slice(start, nl);
      start = nl + 1;
      if (record.startsWith('#')) continue;
      const [, , source = '', stream = '', message = ''] = record.split('\t');
      const [tag, number] = message.split(' ');
      const n = Number(number);
      let report = reports.get(source);
      if (report === undefined)
        reports.set(source, (report = { count: 0, first: n, last: n - 1, broken: 0 }));
      const wholeLine = lineBytes === 0 ? message === `${tag} ${n}` : message.length === lineBytes - 1;
      if (n !== report.last + 1 || stream !== 'out' || tag !== source || !wholeLine) report.broken++;
      report.last = n;
      report.count++;
    }
  }
  return reports;
}

/** A file's records as text; a segment compressed since it was listed is read under its new name. */
function readLog(file: string): string {
  const path = isCompressed(file) || existsSync(file) ? file : file + GZIP_SUFFIX;
  const bytes = readFileSync(path);
  return (isCompressed(path) ? gunzipSync(bytes) : bytes).toString('latin1');
}
