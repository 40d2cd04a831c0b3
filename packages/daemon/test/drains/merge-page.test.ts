import { describe, expect, it } from 'vitest';
import { mergePage } from '../../src/drains/replay.js';
import type { LogLine } from '../../src/logs/index.js';

const line = (id: number, process = 'emails'): LogLine => ({
  id: String(id),
  time: 1_000 + id,
  app: 'shop',
  process,
  source: `${process}.1`,
  stream: 'out',
  message: `line ${id}`,
});
const ids = (lines: readonly LogLine[]) => lines.map((l) => Number(l.id));

describe('mergePage', () => {
  it('drops buffered lines the page has and keeps the newer ones to continue it', () => {
    const merged = mergePage([line(11), line(12), line(13)], [line(13), line(14), line(15)], 10);
    expect(ids(merged.deliver)).toEqual([11, 12, 13]);
    expect(ids(merged.later)).toEqual([14, 15]);
    expect(merged.readBack).toBe(2);
    expect(merged.cursor).toBe(13);
  });

  it('delivers with the page a buffered line older than its newest that its file did not have yet', () => {
    // 12 (web) was captured during the read but not yet written; 13 (emails) was.
    const merged = mergePage([line(11), line(13)], [line(12, 'web'), line(13), line(14)], 10);
    expect(ids(merged.deliver)).toEqual([11, 12, 13]);
    expect(ids(merged.later)).toEqual([14]);
    expect(merged.readBack).toBe(1);
  });

  it('keeps the cursor on an empty page', () => {
    const merged = mergePage([], [line(21), line(22)], 20);
    expect(merged).toMatchObject({ deliver: [], readBack: 0, cursor: 20 });
    expect(ids(merged.later)).toEqual([21, 22]);
  });
});
