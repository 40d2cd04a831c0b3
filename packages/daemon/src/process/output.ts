import type { Readable } from 'node:stream';

/** Where a process's output goes: the log pipeline (logs/), seen by the supervisor through this narrow door. */
export interface OutputSink {
  /** Resolves once the stream ended and every line was handed to storage. */
  capture(target: OutputTarget, stream: 'out' | 'err', readable: Readable): Promise<void>;
  /** The last lines of one source, newest last, for crash events. */
  lastLines(app: string, source: string, n: number): string[];
}

export interface OutputTarget {
  readonly app: string;
  readonly process: string;
  readonly source: string;
  /** A file of its own (cron runs, builds) instead of the process's files. */
  readonly runLog?: string;
}
