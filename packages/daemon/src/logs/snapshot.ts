import { type FileHandle, open } from 'node:fs/promises';
import { filesNewestFirst } from './files.js';

/** One log file as it was when the snapshot was taken: only its first `size` bytes are read. */
export interface SnapshotFile {
  readonly handle: FileHandle;
  readonly size: number;
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
 * lines however much is written or rotated meanwhile (lines written later have higher ids: not part of it).
 */
export async function openSnapshot(logsDir: string, processes: readonly string[]): Promise<LogSnapshot> {
  for (let attempt = 1; ; attempt++) {
    const opened: SnapshotFile[] = [];
    const byProcess = new Map<string, SnapshotFile[]>();
    const close = async () => void (await Promise.all(opened.map((file) => file.handle.close())));
    try {
      const names = processes.map((process) => filesNewestFirst(logsDir, process));
      for (const [i, process] of processes.entries()) {
        const files: SnapshotFile[] = [];
        for (const path of names[i]!) {
          const handle = await openIfExists(path);
          if (handle === null) continue;
          opened.push({ handle, size: 0 });
          files.push({ handle, size: (await handle.stat()).size });
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

async function openIfExists(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
