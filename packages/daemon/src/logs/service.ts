import { rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { AppLog } from './app-log.js';
import { Capture } from './capture.js';
import { LogError } from './errors.js';
import { currentFile, listProcesses, logsDirOf } from './files.js';
import { Follower, type FollowOptions } from './follow.js';
import { Hub, type LogListener } from './hub.js';
import { LAST_LINES, LastLines } from './last-lines.js';
import {
  checkName,
  checkSource,
  parseId,
  parseLogServiceOptions,
  type LogServiceConfig,
  type LogServiceOptions,
} from './options.js';
import { readRunLogFile, scanApp } from './query.js';
import { headerLine } from './record.js';
import { ReadPace } from './pace.js';
import { type AppRetention, type AppLogDisk, LogRetention } from './retention.js';
import { openSnapshot } from './snapshot.js';
import { streamLast } from './stream-query.js';
import type { LogFilter, LogLine, LogQuery, LogStream, LogTarget, Redactor } from './types.js';
import { FileWriter } from './writer.js';
import { UnpackedCache } from './unpacked-cache.js';

/** Bytes read from pipes between two calls of `collectGarbage`. */
const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

/** Creates the daemon's log pipeline (see the module's index for the whole contract). */
export function createLogService(options: LogServiceOptions): LogService {
  return new LogService(parseLogServiceOptions(options));
}

/**
 * The log pipeline of one daemon: captures pipes into per-app files, answers queries, feeds live subscribers.
 * States: open → closed (`close`: flushes and closes every file; capture refuses afterwards).
 */
export class LogService {
  readonly #config: LogServiceConfig;
  readonly #hub = new Hub();
  readonly #apps = new Map<string, AppLog>();
  /** Writers by app, then by file path: one writer per file, shared by every replica writing to it. */
  readonly #writers = new Map<string, Map<string, FileWriter>>();
  readonly #rings = new Map<string, Map<string, LastLines>>();
  readonly #retention: LogRetention;
  /** The last compressed segment a page after an id unpacked, kept for the next page. */
  readonly #unpacked = new UnpackedCache();
  readonly #pace = new ReadPace();
  #closed = false;
  #readSinceCollect = 0;
  readonly #onRead: (bytes: number) => void;

  constructor(config: LogServiceConfig) {
    this.#config = config;
    this.#retention = new LogRetention(config, () => this.#pace.busy());
    const collect = config.collectGarbage;
    this.#onRead = (bytes) => {
      this.#pace.add(bytes);
      if (collect === null) return;
      this.#readSinceCollect += bytes;
      if (this.#readSinceCollect < COLLECT_EVERY_BYTES) return;
      this.#readSinceCollect = 0;
      collect();
    };
  }

  /**
   * Captures one pipe of `target` until it ends; resolves when every line is in the file. While the file
   * writer is behind, the pipe is not read (the process blocks on write) — nothing is buffered without bound
   * or dropped.
   */
  capture(target: LogTarget, stream: LogStream, readable: Readable): Promise<void> {
    this.#open();
    checkName('app', target.app);
    checkName('process', target.process);
    checkSource(target.source);
    const app = this.#app(target.app);
    const writer = this.#writerFor(target);
    const ring = target.runLog === undefined ? this.#ringFor(target) : null;
    writer.users++;
    const capture = new Capture({
      app,
      writer,
      hub: this.#hub,
      ring,
      clock: this.#config.clock,
      target,
      stream,
      onRead: this.#onRead,
    });
    return capture.run(readable).finally(async () => {
      writer.users--;
      if (target.runLog !== undefined && writer.users === 0) {
        this.#writers.get(target.app)?.delete(writer.path);
        await writer.close();
      }
    });
  }

  /** The last `limit` (default 100) lines of the window, in time order, merged across replicas and processes. */
  async query(query: LogQuery): Promise<LogLine[]> {
    checkName('app', query.app);
    if (query.process !== undefined) checkName('process', query.process);
    await this.#flushApp(query.app);
    const logsDir = logsDirOf(this.#config.dir, query.app);
    return scanApp(logsDir, query.app, {
      processes: query.process === undefined ? listProcesses(logsDir) : [query.process],
      source: query.source,
      stream: query.stream,
      since: query.since,
      until: query.until,
      limit: query.limit ?? 100,
      take: 'last',
    });
  }

  /**
   * The last `limit` lines of the window (no default: any number), oldest first, as an iteration that holds one
   * block per process rather than the lines (see stream-query.ts). Names are checked before it is returned, so
   * a bad one throws here and not in the middle of an answer. Lines captured after the call are not included.
   */
  streamLast(query: LogQuery & { readonly limit: number }): AsyncGenerator<LogLine> {
    checkName('app', query.app);
    if (query.process !== undefined) checkName('process', query.process);
    const logsDir = logsDirOf(this.#config.dir, query.app);
    const flush = () => this.#flushApp(query.app);
    return (async function* () {
      await flush();
      const snapshot = await openSnapshot(
        logsDir,
        query.process === undefined ? listProcesses(logsDir) : [query.process],
      );
      try {
        yield* streamLast(snapshot, { ...query, limit: query.limit });
      } finally {
        await snapshot.close();
      }
    })();
  }

  /** Up to `limit` (default 1000) stored lines after `id`, oldest first: where a resumed tail picks up. */
  async readAfter(
    app: string,
    id: string,
    filter: Omit<LogFilter, 'app'> = {},
    limit = 1000,
  ): Promise<LogLine[]> {
    checkName('app', app);
    return this.#readAfterSeq({ ...filter, app }, parseId(id), limit);
  }

  /**
   * Calls `listener` synchronously with each new line passing `filter`. The listener must not block or buffer
   * without bound (drains have their own bounded buffer); a listener that throws is ignored. Returns unsubscribe.
   */
  subscribe(filter: LogFilter, listener: LogListener): () => void {
    checkName('app', filter.app);
    return this.#hub.subscribe(filter, listener);
  }

  /** A bounded live tail for one consumer, optionally resuming after an id; see `Follower`. */
  follow(filter: LogFilter, options: FollowOptions = {}): Follower {
    checkName('app', filter.app);
    if (options.after !== undefined) parseId(options.after);
    return new Follower(this.#hub, filter, options, (after, limit) =>
      this.#readAfterSeq(filter, after, limit),
    );
  }

  /** An id at least the newest line's of the app: every line captured from now on has a greater one. */
  newestId(app: string): number {
    checkName('app', app);
    return this.#app(app).seq;
  }

  /** Lines captured per app since the daemon started (each line takes one id), for Prometheus. */
  capturedLines(): Map<string, number> {
    return new Map([...this.#apps.values()].map((a) => [a.name, a.seq - a.openedAt]));
  }

  /** The last ≤ 20 lines of a replica (kept in memory, also after it exited), oldest first; for crash events. */
  lastLines(app: string, source: string, n = LAST_LINES): LogLine[] {
    const ring = this.#rings.get(app)?.get(source);
    if (ring === undefined) return [];
    return ring.lines(app, source, Math.min(n, LAST_LINES));
  }

  /** Sets (or with null removes) the redactor applied to the app's lines before they are written or emitted. */
  setRedactor(app: string, redactor: Redactor | null): void {
    checkName('app', app);
    this.#app(app).redactor = redactor;
  }

  /** Every line of a run log (cron run or build), including the marker where it was cut. */
  async readRunLog(path: string): Promise<LogLine[]> {
    for (const writers of this.#writers.values()) await writers.get(path)?.flushed();
    return readRunLogFile(path);
  }

  /**
   * Sets what an app keeps (its manifest's `logs`; null fields, or null, leave the service's defaults) and
   * applies it at once. Files rotate at a size that suits the retention from their next batch on.
   */
  setRetention(app: string, own: AppRetention | null): void {
    checkName('app', app);
    this.#retention.setApp(app, own);
  }

  /** What each app's logs hold on disk now, with the rule in force, and the total cap across apps. */
  diskUsage(): { apps: AppLogDisk[]; totalCapBytes: number | null } {
    return { apps: this.#retention.usage(), totalCapBytes: this.#config.totalCapBytes };
  }

  /**
   * Applies retention to every app now and then every `everyMs` (`max_age` on apps that do not rotate, the total
   * cap, segments a previous daemon left uncompressed). Rotations apply it too; this covers the quiet times.
   * Returns the stop; `close` stops it as well.
   */
  startRetention(everyMs = 60_000): () => void {
    return this.#retention.start(everyMs);
  }

  /** Removes an app's process logs and forgets its state; call once its processes have stopped. */
  async removeApp(app: string): Promise<void> {
    checkName('app', app);
    const writers = this.#writers.get(app);
    this.#writers.delete(app);
    for (const writer of writers?.values() ?? []) await writer.close();
    this.#apps.get(app)?.retire();
    this.#apps.delete(app);
    this.#rings.delete(app);
    this.#retention.forget(app);
    this.#hub.dropApp(app);
    rmSync(logsDirOf(this.#config.dir, app), { recursive: true, force: true });
  }

  /** Flushes and closes every file. Captures still running should have ended first (stop processes before). */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#writers.values()].flatMap((writers) => [...writers.values()]);
    this.#writers.clear();
    await Promise.all(all.map((writer) => writer.close()));
    await this.#retention.close();
    await this.#unpacked.close();
  }

  #open(): void {
    if (this.#closed)
      throw new LogError('NS_LOG_CLOSED', 'the log service is closed', 'capture before closing the daemon');
  }

  #app(name: string): AppLog {
    let app = this.#apps.get(name);
    if (app === undefined) this.#apps.set(name, (app = new AppLog(name, logsDirOf(this.#config.dir, name))));
    return app;
  }

  #writerFor(target: LogTarget): FileWriter {
    const { dir, maxFiles, runLogCapBytes, onError } = this.#config;
    const logsDir = logsDirOf(dir, target.app);
    const path = target.runLog ?? currentFile(logsDir, target.process);
    let writers = this.#writers.get(target.app);
    if (writers === undefined) this.#writers.set(target.app, (writers = new Map<string, FileWriter>()));
    let writer = writers.get(path);
    if (writer === undefined) {
      const { app } = target;
      const retention = this.#retention;
      const policy =
        target.runLog === undefined
          ? ({
              kind: 'rotate',
              logsDir,
              process: target.process,
              maxFileBytes: () => retention.segmentBytes(app),
              maxFiles,
              onRotated: () => retention.enforce(app),
            } as const)
          : ({ kind: 'cap', capBytes: runLogCapBytes } as const);
      writer = new FileWriter({ path, header: headerLine(target.app, target.process), policy, onError });
      writers.set(path, writer);
    }
    return writer;
  }

  #ringFor({ app, process, source }: LogTarget): LastLines {
    let rings = this.#rings.get(app);
    if (rings === undefined) this.#rings.set(app, (rings = new Map<string, LastLines>()));
    let ring = rings.get(source);
    if (ring === undefined) rings.set(source, (ring = new LastLines(process)));
    return ring;
  }

  async #flushApp(app: string): Promise<void> {
    await Promise.all([...(this.#writers.get(app)?.values() ?? [])].map((writer) => writer.flushed()));
  }

  async #readAfterSeq(filter: LogFilter, after: number, limit: number): Promise<LogLine[]> {
    await this.#flushApp(filter.app);
    const logsDir = logsDirOf(this.#config.dir, filter.app);
    return scanApp(logsDir, filter.app, {
      processes: filter.process === undefined ? listProcesses(logsDir) : [filter.process],
      source: filter.source,
      stream: filter.stream,
      after,
      limit,
      take: 'first',
      open: (path) => this.#unpacked.open(path),
    });
  }
}
