import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { filesNewestFirst, compressedNameOf, isCompressed } from './files.js';
import { openIfExists, type ReadableLog, unpack } from './open-file.js';

/**
 * One log file as it was when the snapshot was taken: only its first `size` bytes are read. A compressed
 * segment is held open from the start and unpacked only when a reader gets to it (most reads stop before).
 */
export interface SnapshotFile {
  open(): Promise<ReadableLog>;
}

/** The files of each process, oldest first, held open: rotation renames and removes names, not open files. */
export interface LogSnapshot {
  readonly processes: ReadonlyMap<string, readonly SnapshotFile[]>;
  close(): Promise<void>;
}

/** Rotation between listing and opening changes the names; a few retries always find a quiet moment. */
const ATTEMPTS = 5;

/**
 * Opens every file of the given processes and fixes their sizes, so a long read sees one consistent set of
 * lines however much is written, rotated, compressed or removed meanwhile (lines written later have higher
 * ids: not part of it).
 */
export async function openSnapshot(logsDir: string, processes: readonly string[]): Promise<LogSnapshot> {
  for (let attempt = 1; ; attempt++) {
    const opened: FileHandle[] = [];
    const byProcess = new Map<string, SnapshotFile[]>();
    const close = async () => void (await Promise.all(opened.map((handle) => handle.close())));
    try {
      const names = processes.map((process) => filesNewestFirst(logsDir, process));
      for (const [i, process] of processes.entries()) {
        const files: SnapshotFile[] = [];
        for (const path of names[i]!) {
          const file = await openPinned(path, opened);
          if (file !== null) files.push(file);
        }
        byProcess.set(process, files.reverse());
      }
      const unchanged = processes.every((process, i) =>
        sameNames(filesNewestFirst(logsDir, process), names[i]!),
      );
      if (unchanged || attempt === ATTEMPTS) return { processes: byProcess, close };
    } catch (error) {
      await close();
      throw error;
    }
    await close();
  }
}

/** Opens one file now; every handle it makes goes into `opened`, which the snapshot closes. */
async function openPinned(path: string, opened: FileHandle[]): Promise<SnapshotFile | null> {
  let handle = await openIfExists(path);
  let compressed = isCompressed(path);
  const moved = compressedNameOf(path);
  if (handle === null && moved !== null) {
    // Compressed since it was listed.
    handle = await openIfExists(moved);
    compressed = true;
  }
  if (handle === null) return null;
  opened.push(handle);
  if (!compressed) {
    const file = { handle, size: (await handle.stat()).size };
    return { open: () => Promise.resolve(file) };
  }
  const gz = handle;
  let unpacked: Promise<ReadableLog> | null = null;
  return {
    open: () =>
      (unpacked ??= unpack(gz, dirname(path)).then((file) => {
        opened.push(file.handle);
        return file;
      })),
  };
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
