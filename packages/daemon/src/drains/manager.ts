import type { DrainStatus } from '@nightshift/protocol';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { EventBus } from '../events/index.js';
import type { LogService } from '../logs/index.js';
import { createDrain, type Drain, type DrainOptions, maskUrl, parseDrainUrl } from './index.js';
import type { Clock } from '../runtime/clock.js';
import * as store from '../store/index.js';

/** What the manager works with; `drainOptions` tunes every drain (buffer, backoff), for tests. */
export interface DrainManagerDeps {
  readonly db: store.Db;
  readonly bus: EventBus;
  readonly logs: LogService;
  readonly clock: Clock;
  readonly drainOptions?: Omit<
    DrainOptions,
    'clock' | 'onUndelivered' | 'replay' | 'resumeAfter' | 'liveAfter'
  >;
  /** How often delivered-through ids are saved (what a daemon killed without a stop resumes after); 5 s. */
  readonly checkpointMs?: number;
}

const CHECKPOINT_MS = 5_000;

interface Running {
  readonly row: store.DrainRow;
  readonly drain: Drain;
  readonly unsubscribe: () => void;
  /** The checkpoint last saved. */
  saved: number | null;
}

/**
 * The configured drains of every app: each one subscribed to its app's lines, its losses reported as
 * events. URLs may carry credentials, so they are shown with the password masked. Each drain's delivered-through
 * id is saved every few seconds and at stop; a drain started again (the next daemon) resumes after it, so a
 * daemon stop loses no line and a kill -9 sends at most those few seconds again.
 */
export class DrainManager {
  #running = new Map<number, Running>();
  #deps: DrainManagerDeps;
  #checkpoints: NodeJS.Timeout | null = null;

  constructor(deps: DrainManagerDeps) {
    this.#deps = deps;
  }

  /** Starts every stored drain (daemon start). A URL that no longer parses is reported, not fatal. */
  startAll(): void {
    for (const row of store.listDrains(this.#deps.db)) {
      try {
        this.#start(row);
      } catch (err) {
        this.#deps.bus.emit({
          type: 'drain:failed',
          app: row.app,
          message: `drain ${row.id} (${maskUrl(row.url)}) cannot start: ${(err as Error).message}`,
          data: { id: row.id, url: maskUrl(row.url) },
        });
      }
    }
  }

  add(app: string, url: string): DrainStatus {
    parseDrainUrl(url); // throws NS_DRAIN_URL_INVALID with the accepted schemes
    const id = store.insertDrain(this.#deps.db, app, url, this.#deps.clock.now());
    if (id === null) {
      throw new NightshiftError(
        ErrorCodes.badRequest,
        `${app} already drains to ${maskUrl(url)}`,
        'list drains with `nightshift drains ls`',
      );
    }
    const row = store.listDrains(this.#deps.db, app).find((d) => d.id === id)!;
    this.#start(row);
    this.#deps.bus.emit({
      type: 'drain:added',
      app,
      message: `drain ${id} added: ${maskUrl(url)}`,
      data: { id, url: maskUrl(url) },
    });
    return this.#status(row);
  }

  async remove(app: string, id: number): Promise<void> {
    if (!store.deleteDrain(this.#deps.db, app, id)) {
      throw new NightshiftError(
        ErrorCodes.notFound,
        `${app} has no drain ${id}`,
        'list drains with `nightshift drains ls`',
      );
    }
    await this.#stop(id);
    this.#deps.bus.emit({ type: 'drain:removed', app, message: `drain ${id} removed`, data: { id } });
  }

  list(app: string): DrainStatus[] {
    return store.listDrains(this.#deps.db, app).map((row) => this.#status(row));
  }

  async removeApp(app: string): Promise<void> {
    for (const row of store.listDrains(this.#deps.db, app)) await this.#stop(row.id);
    store.deleteAppDrains(this.#deps.db, app);
  }

  /**
   * Gives each drain a moment to deliver what it holds, then closes it and saves how far it got: what it still
   * held is on disk, and the next daemon's drain delivers it (not counted as undelivered).
   */
  async closeAll(): Promise<void> {
    if (this.#checkpoints !== null) clearInterval(this.#checkpoints);
    this.#checkpoints = null;
    const all = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(
      all.map(async (running) => {
        running.unsubscribe();
        await running.drain.close(2000, { resumable: true });
        this.#save(running);
      }),
    );
  }

  /** Saves each drain's delivered-through id that moved since the last save. */
  #checkpoint(): void {
    for (const running of this.#running.values()) this.#save(running);
  }

  #save(running: Running): void {
    const through = running.drain.checkpoint();
    if (through === null || through === running.saved) return;
    try {
      store.setDrainCheckpoint(this.#deps.db, running.row.id, through);
      running.saved = through;
    } catch (err) {
      // A busy or closing database: the next checkpoint tries again; a resume then sends a few lines twice.
      this.#deps.bus.emit({
        type: 'drain:failed',
        app: running.row.app,
        message: `drain ${running.row.id}: its checkpoint could not be saved: ${(err as Error).message}`,
        data: { id: running.row.id, url: maskUrl(running.row.url) },
      });
    }
  }

  #start(row: store.DrainRow): void {
    const { bus, logs, clock } = this.#deps;
    if (this.#checkpoints === null) {
      this.#checkpoints = setInterval(() => this.#checkpoint(), this.#deps.checkpointMs ?? CHECKPOINT_MS);
      this.#checkpoints.unref();
    }
    const drain = createDrain(row.url, {
      ...this.#deps.drainOptions,
      clock: () => clock.now(),
      // Past its buffer a drain reads the app's stored lines back (across compressed segments) instead of dropping.
      replay: (afterId, limit) => logs.readAfter(row.app, afterId, {}, limit),
      // Resumed after its checkpoint; a new drain starts live, its checkpoint the newest line before it.
      ...(row.deliveredThrough !== null
        ? { resumeAfter: row.deliveredThrough }
        : { liveAfter: logs.newestId(row.app) }),
      onUndelivered: (count) =>
        bus.emit({
          type: 'drain:undelivered',
          app: row.app,
          message: `drain ${row.id} (${maskUrl(row.url)}) could not deliver ${count} more line(s)`,
          data: { id: row.id, count, total: drain.stats().undelivered },
        }),
    });
    const unsubscribe = logs.subscribe({ app: row.app }, (line) => drain.push(line));
    this.#running.set(row.id, { row, drain, unsubscribe, saved: row.deliveredThrough });
  }

  async #stop(id: number): Promise<void> {
    const running = this.#running.get(id);
    if (!running) return;
    this.#running.delete(id);
    running.unsubscribe();
    await running.drain.close();
  }

  #status(row: store.DrainRow): DrainStatus {
    const stats = this.#running.get(row.id)?.drain.stats();
    return {
      id: row.id,
      url: maskUrl(row.url),
      createdAt: new Date(row.createdAt).toISOString(),
      delivered: stats?.delivered ?? 0,
      undelivered: stats?.undelivered ?? 0,
      buffered: stats?.buffered ?? 0,
      lastError: stats?.lastError
        ? { message: stats.lastError.message, at: new Date(stats.lastError.time).toISOString() }
        : null,
    };
  }
}
