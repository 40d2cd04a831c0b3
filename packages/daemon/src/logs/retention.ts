import { readdirSync, rmSync } from 'node:fs';
import { NAME_PATTERN } from '@nightshift/manifest/names';
import { compressSegment, PARTIAL_SUFFIX } from './compress.js';
import { LogError } from './errors.js';
import { GZIP_SUFFIX, logsDirOf } from './files.js';
import { listApp } from './listing.js';
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
/** While capture floods, compression looks again this often… */
const DEFER_MS = 250;
/** …but waits no longer than this, so logging that never pauses is still compressed. */
const MAX_DEFER_MS = 10_000;

/**
 * Keeps every app's logs within its retention and the daemon's total cap, and compresses rotated segments.
 * `enforce(app)` runs after each rotation, synchronously on the writer's path: it lists that app's folder and
 * removes what `planRemovals` names, so disk use is back within bounds before the new file grows. Compression
 * runs one segment at a time, newest first (under a flood the oldest waiting ones are the next to be removed,
 * so compressing them first would be wasted), on zlib's threads, never in front of capture, and not while
 * capture floods (`busy`; at most MAX_DEFER_MS): on a machine of two cores a gzip beside a 200 MB burst took a
 * quarter of the capture's throughput (docs/logs.md). `sweep()` (every
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
  readonly #busy: () => boolean;
  #deferredSince: number | null = null;
  #retry: NodeJS.Timeout | undefined;

  /** `busy` says capture is flooding: compression waits (retention does not). */
  constructor(config: LogServiceConfig, busy: () => boolean = () => false) {
    this.#config = config;
    this.#busy = busy;
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
    clearTimeout(this.#retry);
    this.#waiting.clear();
    await this.#compressing;
  }

  #apps(): string[] {
    return safeReaddirSorted(this.#config.dir).filter((name) => NAME_PATTERN.test(name));
  }

  /** Lists an app's logs folder (listing.ts), keeps the listing for the rules, queues its plain segments. */
  #list(app: string): StoredFile[] {
    const listing = listApp(app, logsDirOf(this.#config.dir, app), this.#active, (path) =>
      this.#remove(path),
    );
    if (this.#config.compress) {
      for (const file of listing.plain) this.#waiting.set(file.path, { app, newestMs: file.newestMs });
    }
    this.#listed.set(app, listing.counted);
    return listing.files;
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
    if (this.#deferred()) return;
    let next: string | null = null;
    let newest = -Infinity;
    for (const [path, entry] of this.#waiting) {
      if (entry.newestMs > newest) [next, newest] = [path, entry.newestMs];
    }
    const path = next!;
    const { app } = this.#waiting.get(path)!;
    this.#waiting.delete(path);
    if (!this.#makeRoomFor(app, path)) return this.#kick();
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

  /**
   * Counts the compressed file about to be written, at its segment's size, and applies the rules again: the
   * file grows until the next rotation lists it, and the disk must stay within bounds meanwhile. False when
   * retention removed the segment itself to make that room (or it is gone).
   */
  #makeRoomFor(app: string, path: string): boolean {
    const files = this.#listed.get(app) ?? [];
    const segment = files.find((file) => file.path === path);
    if (segment === undefined) return false;
    const partial = { ...segment, path: path + PARTIAL_SUFFIX, removable: false, order: -1 };
    this.#listed.set(app, [...files, partial]);
    try {
      this.#apply();
    } catch (error) {
      this.#failed(`cannot make room to compress ${path}`, error);
    }
    return this.#listed.get(app)?.some((file) => file.path === path) ?? false;
  }

  /** True when compression should wait for capture to calm down; it then looks again by itself. */
  #deferred(): boolean {
    const now = performance.now();
    if (!this.#busy() || (this.#deferredSince !== null && now - this.#deferredSince >= MAX_DEFER_MS)) {
      this.#deferredSince = null;
      return false;
    }
    this.#deferredSince ??= now;
    if (this.#retry === undefined) {
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        this.#kick();
      }, DEFER_MS).unref();
    }
    return true;
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

function safeReaddirSorted(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
