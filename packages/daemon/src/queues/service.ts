/**
 * Bulk operations on an app's BullMQ queues (`nightshift queues …`), through BullMQ's own `Queue` API only: no
 * Lua of ours, so the operations keep BullMQ's invariants (markers, events, parent/child links) as BullMQ does.
 * Each call opens one connection as the app's Redis user (or to its REDIS_URL), shares it between the queues it
 * touches, and closes it. bullmq and ioredis are loaded on first use, like the admin connection.
 */
import { ErrorCodes, NightshiftError, type QueueList, type QueueSummary } from '@nightshift/protocol';
import type * as BullMQ from 'bullmq';
import type { Redis } from 'ioredis';
import { locateQueues, type QueueHome, type QueueSourcesDeps } from './locate.js';
import { matches, parseMatch } from './match.js';

/** Jobs read from Redis at a time while looking for matches or retrying (10,000 waiting jobs: 10 pages). */
const PAGE = 1000;
/** Removals and retries sent at once. */
const BATCH = 200;

/** What `cancel` reports: the waiting jobs that matched, and how many of them were removed (0 on a dry run). */
export interface CancelResult {
  readonly matched: number;
  readonly removed: number;
}

/** The queue operations of the API. Identity: one per daemon; holds no connection between calls. */
export class QueueOps {
  readonly #deps: QueueSourcesDeps & { readonly timeoutMs: number };

  constructor(deps: QueueSourcesDeps & { readonly timeoutMs: number }) {
    this.#deps = deps;
  }

  /** Every queue of the app with its counts by state, by name. */
  list(app: string): Promise<QueueList> {
    return this.#session(app, async (s) => {
      const names = await s.names();
      const queues = await Promise.all(names.map(async (name) => summary(name, s.queue(name))));
      return { app, where: s.where, queues };
    });
  }

  /** Pauses (`true`) or resumes the queue for every worker: BullMQ's queue-wide pause. */
  setPaused(app: string, name: string, paused: boolean): Promise<QueueSummary> {
    return this.#session(app, async (s) => {
      const queue = await s.existing(name);
      await (paused ? queue.pause() : queue.resume());
      return summary(name, queue);
    });
  }

  /** Moves failed jobs back to waiting, oldest failure first; at most `limit` of them when given. */
  retryFailed(app: string, name: string, limit: number | undefined): Promise<number> {
    return this.#session(app, async (s) => {
      const queue = await s.existing(name);
      let retried = 0;
      // A job that fails again while this runs comes back to the failed set: it is not retried twice.
      const seen = new Set<string>();
      for (;;) {
        const want = limit === undefined ? PAGE : Math.min(PAGE, limit - retried);
        if (want <= 0) break;
        // A retried job leaves the failed set, so the next page starts at 0 again.
        const page = await queue.getJobs(['failed'], 0, want - 1, true);
        const jobs = page.filter(
          (job): job is BullMQ.Job & { id: string } => job?.id !== undefined && !seen.has(job.id),
        );
        if (jobs.length === 0) break;
        for (const job of jobs) seen.add(job.id);
        const done = await inBatches(jobs, (job) =>
          job.retry('failed').then(
            () => 1,
            () => 0, // moved on meanwhile (retried by someone else, removed): not ours to count
          ),
        );
        retried += done;
        if (done === 0) break;
      }
      return retried;
    });
  }

  /** Removes finished jobs (failed or completed) that finished more than `olderThanMs` ago. */
  clean(app: string, name: string, state: 'failed' | 'completed', olderThanMs: number): Promise<number> {
    return this.#session(app, async (s) => {
      const queue = await s.existing(name);
      return (await queue.clean(olderThanMs, 0, state)).length;
    });
  }

  /**
   * Removes the waiting jobs that match (all of them without a match), or only counts them on a dry run. A job
   * a worker takes between the count and its removal is left alone: BullMQ refuses to remove a locked job.
   */
  cancelWaiting(
    app: string,
    name: string,
    match: { path: string; value: string } | undefined,
    dryRun: boolean,
  ): Promise<CancelResult> {
    const parsed = match === undefined ? undefined : parseMatch(match.path, match.value);
    if (parsed === null) {
      throw new NightshiftError(
        ErrorCodes.queueMatchInvalid,
        `"${match?.path ?? ''}" is not a path into a job`,
        'write --match data.tenant=acme (dots between fields; `name`, `data.…`, `opts.…`)',
      );
    }
    return this.#session(app, async (s) => {
      const queue = await s.existing(name);
      const ids: string[] = [];
      // Collect first, remove after: removing while paging would shift the pages under the reader.
      for (let start = 0; ; start += PAGE) {
        const jobs = await queue.getJobs(['waiting'], start, start + PAGE - 1, true);
        for (const job of jobs)
          if (job?.id !== undefined && (parsed === undefined || matches(job, parsed))) ids.push(job.id);
        if (jobs.length < PAGE) break;
      }
      if (dryRun) return { matched: ids.length, removed: 0 };
      const removed = await inBatches(ids, (id) => queue.remove(id));
      return { matched: ids.length, removed };
    });
  }

  async #session<T>(app: string, work: (s: Session) => Promise<T>): Promise<T> {
    const home = locateQueues(this.#deps, app);
    const [{ Queue }, { Redis: RedisClient }] = await Promise.all([import('bullmq'), import('ioredis')]);
    const client: Redis = new RedisClient(home.url, {
      lazyConnect: true,
      connectTimeout: this.#deps.timeoutMs,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
      connectionName: `nightshift-queues:${app}`,
    });
    client.on('error', () => undefined); // failures reach the caller through its commands
    const queues = new Map<string, BullMQ.Queue>();
    try {
      await client.connect().catch((err: unknown) => {
        throw unreachable(app, home, err);
      });
      const names = async (): Promise<string[]> => discover(home, client);
      const queue = (name: string): BullMQ.Queue => {
        let q = queues.get(name);
        if (!q) {
          // A shared connection: the queue neither duplicates it nor closes it.
          q = new Queue(name, { connection: client, prefix: home.prefix });
          queues.set(name, q);
        }
        return q;
      };
      const existing = async (name: string): Promise<BullMQ.Queue> => {
        if ((await client.exists(`${home.prefix}:${name}:meta`)) === 0) {
          throw new NightshiftError(
            ErrorCodes.queueNotFound,
            `${app} has no BullMQ queue "${name}" (no ${home.prefix}:${name}:meta key)`,
            '`nightshift queues` lists the queues found',
          );
        }
        return queue(name);
      };
      return await work({ where: home.where, names, queue, existing });
    } finally {
      await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
      client.disconnect();
    }
  }
}

interface Session {
  readonly where: QueueHome['where'];
  names(): Promise<string[]>;
  queue(name: string): BullMQ.Queue;
  existing(name: string): Promise<BullMQ.Queue>;
}

/** Queue names from their `<prefix>:<name>:meta` keys (BullMQ writes it when a queue is first used). */
async function discover(home: QueueHome, client: Redis): Promise<string[]> {
  const pattern = `${home.prefix}:*:meta`;
  let keys: string[];
  if (home.adminScan) keys = await home.adminScan(pattern);
  else {
    keys = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
  }
  const names = keys.map((key) => key.slice(home.prefix.length + 1, -':meta'.length)).filter((n) => n !== '');
  return [...new Set(names)].sort();
}

async function summary(name: string, queue: BullMQ.Queue): Promise<QueueSummary> {
  const [counts, paused] = await Promise.all([
    queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'),
    queue.isPaused(),
  ]);
  const count = (state: string): number => counts[state] ?? 0;
  return {
    name,
    paused,
    counts: {
      waiting: count('waiting'),
      active: count('active'),
      delayed: count('delayed'),
      failed: count('failed'),
      completed: count('completed'),
      // BullMQ 6 keeps a paused queue's jobs where they were: these are the jobs the pause holds back.
      paused: paused ? count('waiting') + count('prioritized') : 0,
      prioritized: count('prioritized'),
    },
  };
}

/** Runs `work` over `items`, `BATCH` at a time, and sums what it returns. */
async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < items.length; i += BATCH) {
    const done = await Promise.all(items.slice(i, i + BATCH).map(work));
    total += done.reduce((sum, n) => sum + n, 0);
  }
  return total;
}

function unreachable(app: string, home: QueueHome, err: unknown): NightshiftError {
  const where = home.where === 'managed' ? "the daemon's Redis" : "the Redis of the app's REDIS_URL";
  return new NightshiftError(
    ErrorCodes.queueRedisUnreachable,
    `${app}'s queues are in ${where}, which did not answer: ${err instanceof Error ? err.message : String(err)}`,
    home.where === 'managed'
      ? '`nightshift redis info` shows its state'
      : 'check REDIS_URL (`nightshift config ls`)',
    { cause: err },
  );
}
