import { type FileHandle, open, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { nodeZlib } from '../runtime/builtins.js';
import { compressedNameOf, isCompressed } from './files.js';

/** A log file opened for reading: its bytes are the records, whether it is stored plain or compressed. */
export interface ReadableLog {
  readonly handle: FileHandle;
  readonly size: number;
}

let unpacked = 0;

/**
 * Opens a log file to read it by offset: a plain file as it is; a compressed segment unpacked, streaming, into a
 * temporary file that is unlinked at once (so it is gone with its handle, even if the daemon dies). The readers
 * seek backwards through segments, which gzip cannot do; memory stays one stream buffer whatever the segment's
 * size, at the cost of the segment's plain size on disk while the read lasts. A rotated file compressed since
 * it was listed is found under its new name. Null when the file is gone (retention removed it).
 */
export async function openLogFile(path: string): Promise<(ReadableLog & { close(): Promise<void> }) | null> {
  let file = await openIfExists(path);
  let compressed = isCompressed(path);
  const moved = compressedNameOf(path);
  if (file === null && moved !== null) {
    file = await openIfExists(moved);
    compressed = true;
  }
  if (file === null) return null;
  if (!compressed) {
    const handle = file;
    return { handle, size: (await handle.stat()).size, close: () => handle.close() };
  }
  try {
    const log = await unpack(file, dirname(path));
    return { ...log, close: () => log.handle.close() };
  } finally {
    await file.close();
  }
}

/** Unpacks an open compressed segment into an unlinked temporary file in `dir`; the caller closes the result. */
export async function unpack(gz: FileHandle, dir: string): Promise<ReadableLog> {
  const path = join(dir, `.unpack-${process.pid}-${++unpacked}`);
  const handle = await open(path, 'w+', 0o600);
  try {
    await rm(path);
    // Plain reads and writes at offsets: the handles' own streams would close them, or never end.
    await pipeline(chunksOf(gz), nodeZlib().createGunzip(), async (source: AsyncIterable<Buffer>) => {
      let pos = 0;
      for await (const chunk of source) {
        for (let done = 0; done < chunk.length;) {
          done += (await handle.write(chunk, done, chunk.length - done, pos + done)).bytesWritten;
        }
        pos += chunk.length;
      }
    });
    return { handle, size: (await handle.stat()).size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

const CHUNK_BYTES = 64 * 1024;

async function* chunksOf(file: FileHandle): AsyncGenerator<Buffer> {
  for (let pos = 0; ;) {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, pos);
    if (bytesRead === 0) return;
    pos += bytesRead;
    yield chunk.subarray(0, bytesRead);
  }
}

export async function openIfExists(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
