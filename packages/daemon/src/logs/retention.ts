import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NAME_PATTERN } from '@nightshift/manifest/names';
import { compressSegment, PARTIAL_SUFFIX } from './compress.js';
import { LogError } from './errors.js';
import { classifyLogFile, GZIP_SUFFIX, logsDirOf, safeReaddir } from './files.js';
import type { LogServiceConfig } from './options.js';
import { planRemovals, type RetentionRule, type StoredFile } from './pure/retention.js';

/** What one app asks for (its manifest's `logs`); null fields take the daemon's defaults. */
export interface AppRetention {
  readonly retainBytes: number | null;
  readonly maxAgeMs: number | null;
}

/** What an app's logs hold on disk, for `nightshift logs --disk`. */
export interface AppLogDisk {
  readonly app: string;
  readonly bytes: number;
  /** Files: the ones being written and the rotated segments. */
  readonly files: number;
  readonly compressedFiles: number;
  /** Modification time of the oldest segment: the newest line it holds (ms); null with no file. */
  readonly oldestMs: number | null;
  readonly rule: RetentionRule;
}

/** A segment is at least this big: it must hold a whole record (up to 64 KiB) with room to spare. */
const MIN_SEGMENT_BYTES = 128 * 1024;
/** Segments per retention, at least: what the file being written adds on top stays a fraction of it. */
const SEGMENTS_PER_RETENTION = 8;

/**
 * Keeps every app's logs within its retention and the daemon's total cap, and compresses rotated segments.
 * `enforce(app)` runs after each rotation, synchronously on the writer's path: it lists that app's folder and
 * removes what `planRemovals` names, so disk use is back within bounds before the new file grows. Compression
 * runs one segment at a time, newest first (under a flood the oldest waiting ones are the next to be removed,
 * so compressing them first would be wasted), on zlib's threads, never in front of capture. `sweep()` (every
 * minute, and at start) lists every app: it applies `max_age` to quiet apps and compresses what a previous
 * daemon left plain.
 *
 * States: open → closed (`close` waits for the segment being compressed; the rest stay plain until the next
 * start's sweep).
 */
export class LogRetention {
  readonly #config: LogServiceConfig;
  readonly #own = new Map<string, AppRetention>();
  /** The last listing of each app's folder (another app's rotation uses it for the total cap). */
  readonly #listed = new Map<string, StoredFile[]>();
  /** Plain segments to compress, with the time of their newest line. */
  readonly #waiting = new Map<string, { app: string; newestMs: number }>();
  #active: string | null = null;
  #compressing: Promise<void> = Promise.resolve();
  #closed = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(config: LogServiceConfig) {
    this.#config = config;
  }

  /** The rule in force for an app: its own settings over the daemon's. */
  rule(app: string): RetentionRule {
    const own = this.#own.get(app);
    return {
      retainBytes: own?.retainBytes ?? this.#config.retainBytes,
      maxAgeMs: own?.maxAgeMs ?? this.#config.maxAgeMs,
    };
  }

  /** Where the app's files rotate: the daemon's size, or an eighth of a small retention. */
  segmentBytes(app: string): number {
    const share = Math.floor(this.rule(app).retainBytes / SEGMENTS_PER_RETENTION);
    return Math.min(this.#config.maxFileBytes, Math.max(MIN_SEGMENT_BYTES, share));
  }

  /** Sets (or with null clears) what an app asks for, and applies it at once. */
  setApp(app: string, own: AppRetention | null): void {
    if (own === null || (own.retainBytes === null && own.maxAgeMs === null)) this.#own.delete(app);
    else this.#own.set(app, own);
    this.enforce(app);
  }

  /**
   * Lists one app's folder and removes what its rule and the total cap exclude; queues plain segments. Never
   * throws: it runs on the writer's path, and capture must go on whatever retention meets (it is reported).
   */
  enforce(app: string): void {
    this.#pass(() => this.#list(app));
  }

  /** Lists every app's folder, then enforces every rule and the total cap. Never throws, like `enforce`. */
  sweep(): void {
    this.#pass(() => this.#apps().forEach((app) => this.#list(app)));
  }

  #pass(list: () => void): void {
    if (this.#closed) return;
    try {
      list();
      this.#apply();
    } catch (error) {
      this.#failed(`cannot list the logs folders: ${(error as Error).message}`, error);
    }
    this.#kick();
  }

  /** Runs `sweep` now and every `everyMs`; returns the stop. */
  start(everyMs: number): () => void {
    this.sweep();
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.sweep(), everyMs).unref();
    return () => clearInterval(this.#timer);
  }

  /** What each app's logs hold now, by app name. */
  usage(): AppLogDisk[] {
    return this.#apps().map((app) => {
      const files = this.#list(app);
      const segments = files.filter((file) => file.removable);
      return {
        app,
        bytes: files.reduce((sum, file) => sum + file.bytes, 0),
        files: files.filter((file) => file.order >= 0).length,
        compressedFiles: segments.filter((file) => file.path.endsWith(GZIP_SUFFIX)).length,
        oldestMs: segments.length === 0 ? null : Math.min(...segments.map((file) => file.newestMs)),
        rule: this.rule(app),
      };
    });
  }

  /** The app was removed: forget its settings and listing. */
  forget(app: string): void {
    this.#own.delete(app);
    this.#listed.delete(app);
    for (const [path, entry] of this.#waiting) if (entry.app === app) this.#waiting.delete(path);
  }

  /** Stops the sweeps and waits for the segment being compressed. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#waiting.clear();
    await this.#compressing;
  }

  #apps(): string[] {
    return safeReaddirSorted(this.#config.dir).filter((name) => NAME_PATTERN.test(name));
  }

  /**
   * Lists an app's logs folder. Files that only a daemon which died midway leaves are cleaned here: a partial
   * compression, and a plain segment whose compressed copy was already renamed into place.
   */
  #list(app: string): StoredFile[] {
    const logsDir = logsDirOf(this.#config.dir, app);
    const names = safeReaddir(logsDir);
    const present = new Set(names);
    const files: StoredFile[] = [];
    for (const name of names) {
      const path = join(logsDir, name);
      const kind = classifyLogFile(name);
      const plainOfPartial = name.endsWith(PARTIAL_SUFFIX) ? path.slice(0, -PARTIAL_SUFFIX.length) : null;
      if (plainOfPartial !== null && plainOfPartial !== this.#active) {
        this.#remove(path);
        continue;
      }
      const segment = kind !== null && kind.generation !== null;
      if (segment && !kind.compressed && present.has(name + GZIP_SUFFIX) && isFile(path + GZIP_SUFFIX)) {
        this.#remove(path);
        continue;
      }
      let stat;
      try {
        stat = lstatSync(path);
      } catch {
        continue; // removed since it was listed
      }
      if (!stat.isFile()) continue;
      files.push({
        app,
        path,
        bytes: stat.size,
        newestMs: stat.mtimeMs,
        removable: segment,
        // -1: not a log file (`.seq`, a compression in progress); counted, never removed.
        order: kind === null ? -1 : (kind.generation ?? Number.MAX_SAFE_INTEGER),
      });
      if (segment && !kind.compressed && this.#config.compress) {
        this.#waiting.set(path, { app, newestMs: stat.mtimeMs });
      }
    }
    this.#listed.set(
      app,
      files.map((file) => this.#worstCase(file, files)),
    );
    return files;
  }

  /**
   * A compression in progress grows until its segment is done; counted at the segment's size (gzip never makes
   * much more than it reads), retention leaves room for it and the disk stays within bounds until it finishes.
   */
  #worstCase(file: StoredFile, files: readonly StoredFile[]): StoredFile {
    if (!file.path.endsWith(PARTIAL_SUFFIX)) return file;
    const source = files.find((other) => other.path === file.path.slice(0, -PARTIAL_SUFFIX.length));
    return source === undefined || source.bytes <= file.bytes ? file : { ...file, bytes: source.bytes };
  }

  #apply(): void {
    const all = [...this.#listed.values()].flat();
    const removed = new Set(
      planRemovals(all, (app) => this.rule(app), this.#config.totalCapBytes, this.#config.clock()),
    );
    if (removed.size === 0) return;
    for (const path of removed) {
      this.#remove(path);
      this.#waiting.delete(path);
    }
    for (const [app, files] of this.#listed) {
      this.#listed.set(
        app,
        files.filter((file) => !removed.has(file.path)),
      );
    }
  }

  #remove(path: string): void {
    try {
      rmSync(path, { force: true });
    } catch (error) {
      this.#failed(`cannot remove ${path}`, error);
    }
  }

  #kick(): void {
    if (this.#active !== null || this.#closed || this.#waiting.size === 0) return;
    let next: string | null = null;
    let newest = -Infinity;
    for (const [path, entry] of this.#waiting) {
      if (entry.newestMs > newest) [next, newest] = [path, entry.newestMs];
    }
    const path = next!;
    const { app } = this.#waiting.get(path)!;
    this.#waiting.delete(path);
    this.#active = path;
    this.#compressing = compressSegment(path)
      .then(
        () => {},
        (error: unknown) => this.#failed(`cannot compress ${path}`, error),
      )
      .finally(() => {
        this.#active = null;
        if (this.#closed) return;
        // The compressed file is smaller: the listing the total cap uses must say so.
        this.#list(app);
        this.#kick();
      });
  }

  #failed(what: string, error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    this.#config.onError(
      new LogError(
        'NS_LOG_RETENTION_FAILED',
        `log retention: ${what} (${code}); capture goes on`,
        'check the permissions and free space of the daemon home; retention retries at the next rotation or sweep',
        { cause: error },
      ),
    );
  }
}

function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

function safeReaddirSorted(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
