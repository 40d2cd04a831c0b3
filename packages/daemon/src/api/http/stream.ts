import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type Context, SENT, type Sent } from './router.js';

/** One Server-Sent Event. */
export interface SseMessage {
  readonly event?: string;
  readonly data: string;
  readonly id?: string;
}

/**
 * Answers with Server-Sent Events written by `body`; the answer ends when `body` settles. Headers go out at once,
 * so a client sees the stream open before the first event.
 */
export function sendSse(c: Context, body: (stream: SseStream) => Promise<void>): Sent {
  const headers = {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  };
  return run(c.res, new SseStream(c.res), headers, body);
}

/** Answers with newline-delimited JSON written by `body` (a deploy's build lines, then its result). */
export function sendNdjson(c: Context, body: (stream: NdjsonStream) => Promise<void>): Sent {
  return run(c.res, new NdjsonStream(c.res), { 'content-type': 'application/x-ndjson' }, body);
}

/**
 * The framing Hono's `writeSSE` wrote, which clients already parse: `event:`, one `data:` per line of the data,
 * then `id:`, and a blank line.
 */
export function formatSse(message: SseMessage): string {
  for (const key of ['event', 'id'] as const) {
    // A line break would end the field early and let the rest forge another one.
    if (message[key] && /[\r\n]/.test(message[key]))
      throw new Error(`SSE ${key} must not contain a line break`);
  }
  const data = message.data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join('\n');
  const id = message.id !== undefined ? `id: ${message.id}` : '';
  return (
    [message.event ? `event: ${message.event}` : '', data, id].filter((field) => field !== '').join('\n') +
    '\n\n'
  );
}

/** A streamed answer: open until its body settles or the client goes away (then writes are dropped). */
class AnswerStream {
  readonly #res: ServerResponse;
  #aborted = false;
  readonly #listeners: (() => void)[] = [];
  #drained: Promise<void> | null = null;

  constructor(res: ServerResponse) {
    this.#res = res;
    res.on('close', () => {
      if (res.writableFinished) return;
      this.#aborted = true;
      for (const listener of this.#listeners.splice(0)) callSafely(listener);
    });
  }

  /** True once the client has gone before the answer ended. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Called once when the client goes away before the answer ended (at once if it already has). */
  onAbort(listener: () => void): void {
    if (this.#aborted) callSafely(listener);
    else this.#listeners.push(listener);
  }

  /** Resolves when the socket can take more, so a slow reader slows the producer instead of growing a buffer. */
  protected write(chunk: string): Promise<void> {
    const res = this.#res;
    if (this.#aborted || res.writableEnded || res.write(chunk)) return Promise.resolve();
    // One wait shared by every write made while the buffer is full (a deploy's lines are not awaited).
    this.#drained ??= new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        this.#drained = null;
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
    return this.#drained;
  }
}

export class SseStream extends AnswerStream {
  writeSSE(message: SseMessage): Promise<void> {
    return this.write(formatSse(message));
  }
}

export class NdjsonStream extends AnswerStream {
  /** Writes one value as a JSON line. */
  send(value: unknown): Promise<void> {
    return this.write(JSON.stringify(value) + '\n');
  }

  /** Writes several values, one JSON line each, as one chunk: a write per line costs more than the line. */
  sendAll(values: readonly unknown[]): Promise<void> {
    let chunk = '';
    for (const value of values) chunk += JSON.stringify(value) + '\n';
    return this.write(chunk);
  }
}

function run<S extends AnswerStream>(
  res: ServerResponse,
  stream: S,
  headers: OutgoingHttpHeaders,
  body: (stream: S) => Promise<void>,
): Sent {
  res.writeHead(200, headers);
  res.flushHeaders();
  void (async () => {
    try {
      await body(stream);
    } catch (err) {
      // The status is already sent: the daemon's log (its stderr) is the only place left for this.
      console.error(err);
    } finally {
      if (!stream.aborted) res.end();
    }
  })();
  return SENT;
}

function callSafely(listener: () => void): void {
  try {
    listener();
  } catch (err) {
    console.error(err);
  }
}
