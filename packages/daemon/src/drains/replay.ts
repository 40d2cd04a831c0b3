import type { LogLine } from '../logs/types.js';

/** Up to `limit` stored lines with an id after `afterId`, oldest first. */
export type ReplayReader = (afterId: string, limit: number) => Promise<LogLine[]>;

/** A page of stored lines joined with the live lines a drain buffered while it was being read. */
export interface MergedPage {
  /** To deliver now, in id order: the page, plus buffered lines older than its newest that it lacks. */
  readonly deliver: LogLine[];
  /** Buffered lines newer than the page: they continue it (or, when more pages follow, are read again). */
  readonly later: LogLine[];
  /** How many page lines were not buffered, i.e. were read back from the files. */
  readonly readBack: number;
  /** The id to read the next page after: the page's newest, else `cursor`. */
  readonly cursor: number;
}

/**
 * Joins a page read after `cursor` with the lines buffered while it was read (oldest first). A buffered line the
 * page has is a duplicate and goes. A buffered line older than the page's newest that the page lacks was not yet
 * written when its file was read (another process's file): it is delivered with the page, since the next read
 * starts after the page's newest.
 */
export function mergePage(
  page: readonly LogLine[],
  buffered: readonly LogLine[],
  cursor: number,
): MergedPage {
  const inPage = new Set(page.map((line) => line.id));
  const fresh = buffered.filter((line) => !inPage.has(line.id));
  const newest = page.length > 0 ? Number(page.at(-1)!.id) : cursor;
  const early = fresh.filter((line) => Number(line.id) < newest);
  return {
    deliver: early.length === 0 ? [...page] : [...page, ...early].sort((a, b) => Number(a.id) - Number(b.id)),
    later: early.length === 0 ? fresh : fresh.filter((line) => Number(line.id) > newest),
    readBack: page.length - (buffered.length - fresh.length),
    cursor: newest,
  };
}
