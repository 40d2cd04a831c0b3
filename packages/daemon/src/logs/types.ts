/** Which pipe of a process a line came from. */
export type LogStream = 'out' | 'err';

/**
 * One stored log line. `id` is a resumable cursor: a decimal sequence number, strictly increasing per app in
 * the order lines were captured, and never reused after a daemon restart (so an SSE `Last-Event-ID` resumes).
 */
export interface LogLine {
  readonly id: string;
  /** Milliseconds since the epoch (UTC) when the daemon read the line; never decreases within an app. */
  readonly time: number;
  readonly app: string;
  /** Process type: `emails`, `cron`, `build`. */
  readonly process: string;
  /** The writer: a replica `emails.2`, a run `cron:nightly#41`, a build `build:v3`. */
  readonly source: string;
  readonly stream: LogStream;
  readonly message: string;
  /** Set on a piece of an over-long line when the next piece of the same source and stream continues it. */
  readonly continued?: true;
}

/** Who is writing: the app, the process type, the source, and optionally a per-run file instead of the process files. */
export interface LogTarget {
  readonly app: string;
  readonly process: string;
  readonly source: string;
  /**
   * A file path for a cron run or a build: this source's lines go there (capped, with a marker line where cut)
   * instead of the process files. Read it back with `readRunLog`.
   */
  readonly runLog?: string;
}

/** Selects lines for `query`. `since` is inclusive and `until` exclusive (ms), so adjacent windows never overlap. */
export interface LogQuery {
  readonly app: string;
  readonly process?: string;
  readonly source?: string;
  readonly stream?: LogStream;
  readonly since?: number;
  readonly until?: number;
  /** The last N lines of the window; default 100. */
  readonly limit?: number;
}

/** Selects live lines for `subscribe` and `follow`. */
export interface LogFilter {
  readonly app: string;
  readonly process?: string;
  readonly source?: string;
  readonly stream?: LogStream;
}

/**
 * Applied to every line before it is written, emitted or drained. It must return the very same string when it
 * changes nothing, and it may be called with several lines joined by `\n` to learn cheaply whether a whole chunk
 * needs redacting. `makeRedactor` builds one; its `pattern` also lets capture keep a secret whole across the
 * 64 KiB split of an over-long line (a plain function without it cannot be helped there).
 */
export interface Redactor {
  (message: string): string;
  /** A global regex matching every secret value; optional. */
  readonly pattern?: RegExp;
  /** UTF-8 length of the longest value the pattern can match; needed with `pattern`. */
  readonly longestBytes?: number;
}
