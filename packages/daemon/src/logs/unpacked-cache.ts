import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { compressedNameOf, isCompressed } from './files.js';
import { openIfExists, unpack, type ReadableLog } from './open-file.js';

/** How long the last unpacked segment stays open after its last reader: the next page usually wants it. */
const LINGER_MS = 10_000;

type Opened = ReadableLog & { close(): Promise<void> };

interface Entry {
  /** The compressed segment's identity: a later segment of the same name is another file. */
  readonly key: string;
  readonly log: Promise<ReadableLog>;
  users: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Opens log files like `openLogFile`, but keeps the last compressed segment it unpacked open for a while, so a
 * reader paging forward through a segment (a drain's catch-up, 1,000 lines a page out of tens of thousands)
 * unpacks it once rather than once a page. One segment at a time; its unpacked copy is an unlinked temporary
 * file, gone with the handle.
 */
export class UnpackedCache {
  #entry: Entry | null = null;
  readonly #lingerMs: number;

  constructor(lingerMs = LINGER_MS) {
    this.#lingerMs = lingerMs;
  }

  async open(path: string): Promise<Opened | null> {
    let gz = path;
    if (!isCompressed(path)) {
      const plain = await openIfExists(path);
      if (plain !== null) {
        return { handle: plain, size: (await plain.stat()).size, close: () => plain.close() };
      }
      // A rotated file compressed since it was listed is read under its new name.
      const moved = compressedNameOf(path);
      if (moved === null) return null;
      gz = moved;
    }
    const file = await openIfExists(gz);
    if (file === null) return null;
    let key: string;
    try {
      const st = await file.stat();
      key = `${gz}\0${st.ino}\0${st.size}\0${st.mtimeMs}`;
    } catch (error) {
      await file.close();
      throw error;
    }
    const kept = this.#entry?.key === key ? this.#entry : null;
    if (kept === null) this.#retire();
    const entry: Entry = kept ?? { key, log: unpackAndClose(file, gz), users: 0, timer: null };
    this.#entry = entry;
    // Counted before any wait, so the linger timer cannot close it under this reader.
    if (entry.timer !== null) clearTimeout(entry.timer);
    entry.timer = null;
    entry.users++;
    if (kept !== null) await file.close();
    let log: ReadableLog;
    try {
      log = await entry.log;
    } catch (error) {
      entry.users--;
      if (this.#entry === entry) this.#entry = null;
      throw error;
    }
    let closed = false;
    return {
      ...log,
      close: async () => {
        if (closed) return;
        closed = true;
        entry.users--;
        await this.#release(entry);
      },
    };
  }

  /** Closes the segment kept open (the log service is closing). */
  async close(): Promise<void> {
    const entry = this.#entry;
    this.#entry = null;
    if (entry === null) return;
    if (entry.timer !== null) clearTimeout(entry.timer);
    if (entry.users === 0) await closeLog(entry);
  }

  /** The kept segment is replaced: closed now if nobody reads it, else by its last reader. */
  #retire(): void {
    const old = this.#entry;
    this.#entry = null;
    if (old === null) return;
    if (old.timer !== null) clearTimeout(old.timer);
    old.timer = null;
    if (old.users === 0) void closeLog(old);
  }

  async #release(entry: Entry): Promise<void> {
    if (entry.users > 0) return;
    if (this.#entry !== entry) return closeLog(entry);
    entry.timer = setTimeout(() => {
      if (this.#entry === entry && entry.users === 0) {
        this.#entry = null;
        void closeLog(entry);
      }
    }, this.#lingerMs);
    entry.timer.unref();
  }
}

async function unpackAndClose(file: FileHandle, gz: string): Promise<ReadableLog> {
  try {
    return await unpack(file, dirname(gz));
  } finally {
    await file.close();
  }
}

async function closeLog(entry: Entry): Promise<void> {
  try {
    await (await entry.log).handle.close();
  } catch {
    // The unpack failed (its error went to the reader) or the handle is closed already.
  }
}
