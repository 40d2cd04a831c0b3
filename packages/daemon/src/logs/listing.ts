import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { PARTIAL_SUFFIX } from './compress.js';
import { classifyLogFile, GZIP_SUFFIX, safeReaddir } from './files.js';
import type { StoredFile } from './pure/retention.js';

/** One app's logs folder as retention sees it. */
export interface AppListing {
  /** Every file, at its size on disk. */
  readonly files: StoredFile[];
  /** The same, a compression in progress counted at its worst case (see `worstCase`): what rules apply to. */
  readonly counted: StoredFile[];
  /** Rotated segments still plain. */
  readonly plain: StoredFile[];
}

/**
 * Lists an app's logs folder. What only a daemon that died midway leaves is removed here (through `remove`): a
 * compression's partial file other than `active`'s, and a plain segment whose compressed file is in place.
 */
export function listApp(
  app: string,
  logsDir: string,
  active: string | null,
  remove: (path: string) => void,
): AppListing {
  const names = safeReaddir(logsDir);
  const present = new Set(names);
  const files: StoredFile[] = [];
  const plain: StoredFile[] = [];
  for (const name of names) {
    const path = join(logsDir, name);
    const kind = classifyLogFile(name);
    if (name.endsWith(PARTIAL_SUFFIX) && path.slice(0, -PARTIAL_SUFFIX.length) !== active) {
      remove(path);
      continue;
    }
    const segment = kind !== null && kind.generation !== null;
    if (segment && !kind.compressed && present.has(name + GZIP_SUFFIX) && isFile(path + GZIP_SUFFIX)) {
      remove(path);
      continue;
    }
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      continue; // removed since it was listed
    }
    if (!stat.isFile()) continue;
    const file: StoredFile = {
      app,
      path,
      bytes: stat.size,
      newestMs: stat.mtimeMs,
      removable: segment,
      // -1: not a log file (`.seq`, a compression in progress); counted, never removed.
      order: kind === null ? -1 : (kind.generation ?? Number.MAX_SAFE_INTEGER),
    };
    files.push(file);
    if (segment && !kind.compressed) plain.push(file);
  }
  return { files, counted: files.map((file) => worstCase(file, files)), plain };
}

/**
 * A compression in progress grows until its segment is done; counted at the segment's size (gzip never makes
 * much more than it reads), retention leaves room for it and the disk stays within bounds until it finishes.
 */
function worstCase(file: StoredFile, files: readonly StoredFile[]): StoredFile {
  if (!file.path.endsWith(PARTIAL_SUFFIX)) return file;
  const source = files.find((other) => other.path === file.path.slice(0, -PARTIAL_SUFFIX.length));
  return source === undefined || source.bytes <= file.bytes ? file : { ...file, bytes: source.bytes };
}

function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}
