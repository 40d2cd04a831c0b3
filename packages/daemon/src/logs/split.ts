import type { Redactor } from './types.js';

/** Bytes looked at beyond a cut, so a secret value (up to this long) crossing it can be kept whole. */
export const SECRET_LOOKAHEAD = 4 * 1024;

/**
 * Where to cut the first piece off an over-long line held in `buf[0, length)`: at `limit` bytes, moved back to a
 * character boundary (never inside a UTF-8 sequence), and further back to the start of a secret value that would
 * otherwise straddle the cut (when the redactor has a `pattern`), so the value lands whole in the next piece
 * and is redacted there.
 */
export function chooseCut(buf: Buffer, length: number, limit: number, redactor: Redactor | null): number {
  let cut = limit;
  let lead = cut;
  while (lead > cut - 4 && (buf[lead]! & 0xc0) === 0x80) lead--;
  if ((buf[lead]! & 0xc0) !== 0x80) cut = lead;
  const pattern = redactor?.pattern;
  const longest = Math.min(redactor?.longestBytes ?? 0, SECRET_LOOKAHEAD);
  if (pattern === undefined || longest < 2) return cut;
  let from = Math.max(0, cut - longest + 1);
  while (from < cut && (buf[from]! & 0xc0) === 0x80) from++;
  const text = buf.toString('utf8', from, Math.min(length, cut + longest - 1));
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const start = from + Buffer.byteLength(text.slice(0, m.index));
    const end = start + Buffer.byteLength(m[0]);
    if (start < cut && end > cut && start > 0) return start;
    if (m[0].length === 0) pattern.lastIndex++;
  }
  return cut;
}
