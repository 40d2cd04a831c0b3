import {
  createReadStream,
  createWriteStream,
  existsSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { nodeZlib } from '../runtime/builtins.js';
import { GZIP_SUFFIX } from './files.js';

/** Where a segment is compressed to before it is renamed into place; never read, removed if left behind. */
export const PARTIAL_SUFFIX = '.gz.partial';

/**
 * Compresses one rotated segment into `<segment>.gz`, streaming (memory is zlib's window and one read buffer,
 * whatever the segment's size); zlib works on the libuv thread pool, so capture on the main thread goes on.
 * The compressed file takes the segment's modification time (the time of its newest line, which retention
 * orders by), is renamed into place whole, and only then is the segment removed: a reader always finds one of
 * the two. If retention removed the segment meanwhile, the result is dropped. Returns false then.
 */
export async function compressSegment(path: string): Promise<boolean> {
  const partial = path.slice(0, -'.log'.length) + '.log' + PARTIAL_SUFFIX;
  try {
    await pipeline(
      createReadStream(path),
      nodeZlib().createGzip({ level: 6 }),
      createWriteStream(partial, { mode: 0o600 }),
    );
  } catch (error) {
    rmSync(partial, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(path)) return false;
    throw error;
  }
  // Synchronous from here: retention runs on the same thread, so it cannot remove the segment in between.
  if (!existsSync(path)) {
    rmSync(partial, { force: true });
    return false;
  }
  const { atime, mtime } = statSync(path);
  utimesSync(partial, atime, mtime);
  renameSync(partial, path + GZIP_SUFFIX);
  rmSync(path, { force: true });
  return true;
}
