import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { nodeZlib } from '../runtime/builtins.js';
import { compressedNameOf, isCompressed } from './files.js';
import { isHeaderAt, NEWLINE, peekRecord } from './record.js';

/** A record is at most a line's limit plus its fields; past this much without one, the file holds none. */
const MAX_SCAN_BYTES = 256 * 1024;

/**
 * The id (seq) of the first record of a log file, reading only its start: a compressed segment is unpacked as
 * a stream and dropped as soon as the record is whole, so asking costs a few kilobytes whatever the segment's
 * size. Null for a file that is gone or holds no record yet. A rotated file compressed since it was listed is
 * found under its new name, as `openLogFile` does.
 */
export async function firstSeq(path: string): Promise<number | null> {
  const first = await firstSeqOf(path, isCompressed(path));
  if (first !== undefined) return first;
  const moved = compressedNameOf(path);
  return moved === null ? null : ((await firstSeqOf(moved, true)) ?? null);
}

/** undefined: the file does not exist. */
async function firstSeqOf(path: string, compressed: boolean): Promise<number | null | undefined> {
  const raw = createReadStream(path, { highWaterMark: 16 * 1024 });
  const stream: Readable = compressed ? raw.pipe(nodeZlib().createGunzip()) : raw;
  // A pipe does not pass the source's errors on: a file gone before it opened must end the read, not hang it.
  if (compressed) raw.once('error', (err) => stream.destroy(err));
  const peek = { time: 0, seq: 0 };
  let buf: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of stream) {
      buf = buf.length === 0 ? (chunk as Buffer) : Buffer.concat([buf, chunk as Buffer]);
      let start = 0;
      for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
        if (!isHeaderAt(buf, start) && peekRecord(buf, start, nl, peek)) return peek.seq;
        start = nl + 1;
      }
      if (buf.length > MAX_SCAN_BYTES) return null;
    }
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  } finally {
    raw.destroy();
    stream.destroy();
  }
}
