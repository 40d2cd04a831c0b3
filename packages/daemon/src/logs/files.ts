/**
 * Where log files live. Per app: `<dir>/<app>/logs/<process>.log` is the file being written, rotated files are
 * `<process>.<generation>.log` (a higher generation is newer), and `.seq` holds the id reservation.
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

// Process names as the manifest allows them (PROCESS_NAME_PATTERN): `stale_cleanup`, `Emails`.
const ROTATED = /^([A-Za-z][A-Za-z0-9_-]*)\.(\d+)\.log$/;
const CURRENT = /^([A-Za-z][A-Za-z0-9_-]*)\.log$/;

/** Generations of the rotated files of one process, oldest first. */
export function listGenerations(logsDir: string, process: string): number[] {
  const gens: number[] = [];
  for (const name of safeReaddir(logsDir)) {
    const match = ROTATED.exec(name);
    if (match !== null && match[1] === process) gens.push(Number(match[2]));
  }
  return gens.sort((a, b) => a - b);
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
  const gens = listGenerations(logsDir, process).reverse();
  return [currentFile(logsDir, process), ...gens.map((g) => rotatedFile(logsDir, process, g))];
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
