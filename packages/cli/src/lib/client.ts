import { createRequire } from 'node:module';
import type { RequestOptions } from 'node:http';
// require, not import: an ESM import of node:http evaluates its lazy exports (undici), slowing every CLI call.
const require = createRequire(import.meta.url);
const httpRequest = (require('node:http') as typeof import('node:http')).request;
const netConnect = (require('node:net') as typeof import('node:net')).connect;
import {
  API_PREFIX,
  ErrorCodes,
  NightshiftError,
  pathOfCall,
  type AnswerOf,
  type CallOptions,
  type DeclOf,
  type ErrorBody,
  type WireRoute,
} from '@nightshift/protocol';

export type { CallOptions, DeclOf } from '@nightshift/protocol';
export { pathOfCall };

/** Talks to the daemon's API over its Unix socket (no token needed: the socket is 0600). */
export class ApiClient {
  readonly socketPath: string;

  constructor(socketPath: string) {
    this.socketPath = socketPath;
  }

  /**
   * One connection per request, made here rather than by an http.Agent: the agent's bookkeeping compiles
   * node:net's IPv6 pattern to name a TLS server, ~4 ms of every command's start, for a Unix socket.
   */
  #target(): RequestOptions {
    const socketPath = this.socketPath;
    return { createConnection: () => netConnect(socketPath) };
  }

  /**
   * Calls a declared route (`api.scale` of @nightshift/protocol) and resolves with its answer, typed by the
   * declaration. A POST sends its body, `{}` when it has none; GET and DELETE send none.
   */
  call<W extends WireRoute>(route: W, opts: CallOptions<W>): Promise<AnswerOf<DeclOf<W>>> {
    const body = route.method === 'POST' ? (opts.body ?? {}) : undefined;
    return this.#request<AnswerOf<DeclOf<W>>>(route.method, pathOfCall(route, opts), body);
  }

  #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = httpRequest(
        {
          ...this.#target(),
          path: API_PREFIX + path,
          method,
          headers: payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              reject(
                new NightshiftError(
                  ErrorCodes.internal,
                  `the daemon answered ${res.statusCode} with non-JSON: ${text.slice(0, 200)}`,
                ),
              );
              return;
            }
            if ((res.statusCode ?? 500) >= 400) {
              reject(errorFrom(json, res.statusCode));
            } else {
              resolve(json as T);
            }
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
          reject(notRunning(this.socketPath));
        } else {
          reject(err);
        }
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  /**
   * POSTs and reads an NDJSON answer line by line: `{ type: 'line' }` progress goes to `onLine`, then a
   * `result` (returned) or an `error` (thrown as a coded error).
   */
  postNdjson<W extends WireRoute>(
    route: W,
    opts: CallOptions<W>,
    onLine: (line: string) => void,
  ): Promise<AnswerOf<DeclOf<W>>> {
    type T = AnswerOf<DeclOf<W>>;
    const path = pathOfCall(route, opts);
    const payload = JSON.stringify(opts.body ?? {});
    return new Promise<T>((resolve, reject) => {
      const req = httpRequest(
        {
          ...this.#target(),
          path: API_PREFIX + path,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/x-ndjson',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          if ((res.headers['content-type'] ?? '').includes('application/json')) {
            // An error before the stream started (bad request): a plain JSON error body.
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => reject(errorFrom(parseOrNull(Buffer.concat(chunks)), res.statusCode)));
            return;
          }
          let buffer = '';
          let settled = false;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let nl;
            while ((nl = buffer.indexOf('\n')) !== -1) {
              const text = buffer.slice(0, nl);
              buffer = buffer.slice(nl + 1);
              if (!text) continue;
              const msg = JSON.parse(text) as {
                type: string;
                line?: string;
                result?: T;
              } & Partial<ErrorBody>;
              if (msg.type === 'line') onLine(msg.line ?? '');
              else if (msg.type === 'result') {
                settled = true;
                resolve(msg.result as T);
              } else if (msg.type === 'error') {
                settled = true;
                const e = msg.error;
                reject(
                  new NightshiftError(e?.code ?? ErrorCodes.internal, e?.message ?? 'failed', e?.hint ?? ''),
                );
              }
            }
          });
          res.on('end', () => {
            if (!settled)
              reject(
                new NightshiftError(
                  ErrorCodes.internal,
                  'the daemon closed the stream before the result',
                  'check the daemon log',
                ),
              );
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? notRunning(this.socketPath) : err),
      );
      req.write(payload);
      req.end();
    });
  }

  /**
   * GETs an NDJSON answer and calls `onMessage` with each line's value as it arrives, so an answer of any length
   * is never held whole; resolves when the answer ends. An error before the stream started is thrown coded.
   */
  getNdjson<W extends WireRoute>(
    route: W,
    opts: CallOptions<W>,
    onMessage: (message: unknown) => void,
  ): Promise<void> {
    const path = pathOfCall(route, opts);
    return new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        {
          ...this.#target(),
          path: API_PREFIX + path,
          method: 'GET',
          headers: { accept: 'application/x-ndjson' },
        },
        (res) => {
          if ((res.statusCode ?? 500) >= 400) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => reject(errorFrom(parseOrNull(Buffer.concat(chunks)), res.statusCode)));
            return;
          }
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let start = 0;
            for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n', start)) {
              if (nl > start) onMessage(JSON.parse(buffer.slice(start, nl)));
              start = nl + 1;
            }
            buffer = buffer.slice(start);
          });
          res.on('end', () => resolve());
          res.on('error', reject);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? notRunning(this.socketPath) : err),
      );
      req.end();
    });
  }

  /** Opens a Server-Sent Events stream and calls `onEvent` per event until the stream ends. */
  stream<W extends WireRoute>(
    route: W,
    opts: CallOptions<W>,
    onEvent: (event: { id?: string; event: string; data: string }) => void,
    lastEventId?: string,
  ): Promise<void> {
    const path = pathOfCall(route, opts);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          ...this.#target(),
          path: API_PREFIX + path,
          method: 'GET',
          headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        },
        (res) => {
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let end;
            while ((end = buffer.indexOf('\n\n')) !== -1) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const ev: { id?: string; event: string; data: string } = { event: 'message', data: '' };
              const data: string[] = [];
              for (const line of block.split('\n')) {
                const colon = line.indexOf(':');
                const field = colon === -1 ? line : line.slice(0, colon);
                const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
                if (field === 'id') ev.id = value;
                else if (field === 'event') ev.event = value;
                else if (field === 'data') data.push(value);
              }
              ev.data = data.join('\n');
              onEvent(ev);
            }
          });
          res.on('end', () => resolve());
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? notRunning(this.socketPath) : err),
      );
      req.end();
    });
  }
}

function notRunning(socket: string): NightshiftError {
  return new NightshiftError(
    ErrorCodes.daemonNotRunning,
    `no daemon answers on ${socket}`,
    'start it with `nightshift up` in an app folder, or `nightshift daemon` in the foreground',
  );
}

/** The coded error of a failed answer's `{ error: { code, message, hint } }` body (an unreadable one: HTTP status). */
function errorFrom(json: unknown, status: number | undefined): NightshiftError {
  const e = (json as Partial<ErrorBody> | null)?.error;
  return new NightshiftError(e?.code ?? ErrorCodes.internal, e?.message ?? `HTTP ${status}`, e?.hint ?? '');
}

function parseOrNull(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8') || 'null');
  } catch {
    return null;
  }
}
