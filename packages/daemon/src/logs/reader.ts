import { openLogFile } from './open-file.js';
import { NEWLINE } from './record.js';

const BLOCK_BYTES = 256 * 1024;

/**
 * Calls `visit` with each complete line of the file, last line first (`end` excludes the newline); stops when
 * `visit` returns true. A file that does not exist is empty (rotation may remove it between listing and
 * reading); bytes after the last newline (a record still being written) are ignored. A compressed segment is
 * read through an unpacked copy (open-file.ts).
 */
export async function scanBackward(
  path: string,
  visit: (buf: Buffer, start: number, end: number) => boolean,
): Promise<boolean> {
  const file = await openLogFile(path);
  if (file === null) return false;
  const { handle } = file;
  try {
    let pos = file.size;
    let head: Buffer | null = null;
    let seenNewline = false;
    while (pos > 0) {
      const len = Math.min(BLOCK_BYTES, pos);
      pos -= len;
      let block = Buffer.allocUnsafe(len);
      const { bytesRead } = await handle.read(block, 0, len, pos);
      if (bytesRead < len) block = block.subarray(0, bytesRead);
      if (head !== null) block = Buffer.concat([block, head]);
      let end = block.length;
      if (!seenNewline) {
        end = block.lastIndexOf(NEWLINE) + 1;
        if (end === 0) continue;
        seenNewline = true;
      }
      // [0, end) is: the tail of a line begun in an earlier block, then whole lines each ending in '\n'.
      while (end > 0) {
        const prev = end >= 2 ? block.lastIndexOf(NEWLINE, end - 2) : -1;
        if (prev < 0) break;
        if (visit(block, prev + 1, end - 1)) return true;
        end = prev + 1;
      }
      head = block.subarray(0, end);
    }
    if (head !== null && head.length > 0) return visit(head, 0, head.length - 1);
    return false;
  } finally {
    await file.close();
  }
}

/**
 * Calls `visit` with each complete line of the file, first line first; stops when `visit` returns true. Like
 * `scanBackward`: a missing file is empty, and bytes after the last newline (still being written) are ignored.
 */
export async function scanForward(
  path: string,
  visit: (buf: Buffer, start: number, end: number) => boolean,
  open: typeof openLogFile = openLogFile,
): Promise<boolean> {
  const file = await open(path);
  if (file === null) return false;
  try {
    let carry: Buffer | null = null;
    for (let pos = 0; pos < file.size;) {
      const block = Buffer.allocUnsafe(Math.min(BLOCK_BYTES, file.size - pos));
      const { bytesRead } = await file.handle.read(block, 0, block.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const buf: Buffer =
        carry === null ? block.subarray(0, bytesRead) : Buffer.concat([carry, block.subarray(0, bytesRead)]);
      let start = 0;
      for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
        if (visit(buf, start, nl)) return true;
        start = nl + 1;
      }
      carry = start < buf.length ? buf.subarray(start) : null;
    }
    return false;
  } finally {
    await file.close();
  }
}
