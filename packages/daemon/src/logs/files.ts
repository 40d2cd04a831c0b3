/**
 * Where log files live. Per app: `<dir>/<app>/logs/<process>.log` is the file being written, rotated files are
 * `<process>.<generation>.log` (a higher generation is newer) until they are compressed into
 * `<process>.<generation>.log.gz`, and `.seq` holds the id reservation.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function logsDirOf(dir: string, app: string): string {
  return join(dir, app, 'logs');
}

export function currentFile(logsDir: string, process: string): string {
  return join(logsDir, `${process}.log`);
}

export function rotatedFile(logsDir: string, process: string, generation: number): string {
  return join(logsDir, `${process}.${generation}.log`);
}

/** The compressed form of a rotated file. */
export const GZIP_SUFFIX = '.gz';

export function isCompressed(path: string): boolean {
  return path.endsWith(GZIP_SUFFIX);
}

/**
 * Where a rotated plain file is once compressed (`emails.3.log` → `emails.3.log.gz`): a reader that listed it
 * plain and finds it gone reads it there. Null for the current file or a compressed one.
 */
export function compressedNameOf(path: string): string | null {
  return /\.\d+\.log$/.test(path) ? path + GZIP_SUFFIX : null;
}

// Process names as the manifest allows them (PROCESS_NAME_PATTERN): `stale_cleanup`, `Emails`.
const ROTATED = /^([A-Za-z][A-Za-z0-9_-]*)\.(\d+)\.log(\.gz)?$/;
const CURRENT = /^([A-Za-z][A-Za-z0-9_-]*)\.log$/;

/** What a name in a logs folder is; null for anything else (`.seq`, a compression in progress). */
export function classifyLogFile(
  name: string,
): { process: string; generation: number | null; compressed: boolean } | null {
  const current = CURRENT.exec(name);
  if (current !== null) return { process: current[1]!, generation: null, compressed: false };
  const rotated = ROTATED.exec(name);
  if (rotated === null) return null;
  return { process: rotated[1]!, generation: Number(rotated[2]), compressed: rotated[3] !== undefined };
}

/** Generations of the rotated files of one process (plain or compressed), oldest first. */
export function listGenerations(logsDir: string, process: string): number[] {
  return [...rotatedFiles(logsDir, process).keys()].sort((a, b) => a - b);
}

/**
 * The rotated files of one process by generation. A generation is briefly both plain and compressed (the
 * compressed file is renamed into place before the plain one is removed): the plain one is named then, and
 * `openLogFile` falls back to the compressed one if it is gone by the time it is opened.
 */
function rotatedFiles(logsDir: string, process: string): Map<number, string> {
  const files = new Map<number, string>();
  for (const name of safeReaddir(logsDir)) {
    const match = ROTATED.exec(name);
    if (match === null || match[1] !== process) continue;
    const gen = Number(match[2]);
    if (match[3] === undefined || !files.has(gen)) files.set(gen, join(logsDir, name));
  }
  return files;
}

/** Process types that have log files in `logsDir`. */
export function listProcesses(logsDir: string): string[] {
  const names = new Set<string>();
  for (const name of safeReaddir(logsDir)) {
    const match = CURRENT.exec(name) ?? ROTATED.exec(name);
    if (match !== null) names.add(match[1]!);
  }
  return [...names].sort();
}

/** The files of one process, newest first: the current file, then rotated ones by falling generation. */
export function filesNewestFirst(logsDir: string, process: string): string[] {
  const files = rotatedFiles(logsDir, process);
  const gens = [...files.keys()].sort((a, b) => b - a);
  return [currentFile(logsDir, process), ...gens.map((g) => files.get(g)!)];
}

export function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
