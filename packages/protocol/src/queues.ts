/** `nightshift queues`: an app's BullMQ queues and the answers of their bulk operations (issue 21). */

/** Jobs of one queue by state, as BullMQ counts them. */
export interface QueueCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  readonly completed: number;
  /** Jobs the queue's pause holds back (waiting and prioritized while paused; 0 when not paused). */
  readonly paused: number;
  readonly prioritized: number;
}

/** One queue found under `<app>:bull:`. */
export interface QueueSummary {
  readonly name: string;
  /** Paused for every worker (`queues pause`). */
  readonly paused: boolean;
  readonly counts: QueueCounts;
}

/** `GET /apps/:app/queues`. */
export interface QueueList {
  readonly app: string;
  /** `managed`: the daemon's Redis (`redis: true`); `app`: the app's REDIS_URL. */
  readonly where: 'managed' | 'app';
  readonly queues: readonly QueueSummary[];
}

/** `POST …/cancel`: waiting jobs that matched, and how many were removed (0 on a dry run). */
export interface QueueCancelResult {
  readonly app: string;
  readonly queue: string;
  readonly matched: number;
  readonly removed: number;
  readonly dryRun: boolean;
}
