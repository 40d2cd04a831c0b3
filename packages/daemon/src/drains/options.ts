import type { ReplayReader } from './replay.js';

export interface DrainOptions {
  /** Told how many more lines could not be delivered (overflowed or refused); at most once per `reportIntervalMs`. */
  readonly onUndelivered?: (count: number) => void;
  /** Lines held (waiting and in flight) at most; beyond it the oldest waiting line is dropped and counted. */
  readonly bufferLines?: number;
  readonly clock?: () => number;
  /** First retry delay; it doubles per failed attempt up to `maxBackoffMs`. */
  readonly backoffBaseMs?: number;
  readonly maxBackoffMs?: number;
  /** How long lines may wait to fill a batch. */
  readonly lingerMs?: number;
  readonly reportIntervalMs?: number;
  /** An extra trusted CA (PEM) for TLS and HTTPS receivers with a private or test CA. */
  readonly ca?: string | Buffer;
  /** HOSTNAME of syslog messages; default the machine's name. */
  readonly hostname?: string;
  readonly timeoutMs?: number;
  /**
   * Reads stored lines after an id, oldest first (the log service's `readAfter` for the drained app). With it,
   * a full buffer does not drop lines: the drain stops buffering live lines and, once the receiver accepts
   * again, replays them from the files (see `Drain`). Without it the oldest waiting line is dropped.
   */
  readonly replay?: ReplayReader;
  /**
   * Lines read from the files per replay page; default half the buffer, at least 1000.
   */
  readonly replayPageLines?: number;
  /**
   * An id a previous daemon's drain had delivered through (its checkpoint): this drain starts by replaying the
   * stored lines after it, then goes live. Needs `replay`.
   */
  readonly resumeAfter?: number;
  /** For a drain starting live: an id no older than the newest line before its first (its first checkpoint). */
  readonly liveAfter?: number;
}

export interface DrainStats {
  readonly delivered: number;
  readonly undelivered: number;
  /** Lines waiting for delivery: held in memory, plus during a catch-up those left on disk to replay. */
  readonly buffered: number;
  /** True while the drain replays stored lines instead of buffering live ones. */
  readonly catchingUp: boolean;
  readonly lastError: { readonly message: string; readonly time: number } | null;
}
