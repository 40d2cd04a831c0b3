import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ErrorCodes,
  NightshiftError,
  statusOf,
  toErrorBody,
  type RouteDeclaration,
} from '@nightshift/protocol';

/**
 * A small router over raw `node:http`, in place of Hono: Hono answers with the web-standard Request/Response,
 * whose first use loads Node's bundled undici, resident for the daemon's whole life (docs/architecture.md).
 * Only types come from `node:http` here: main.ts loads it through runtime/builtins.ts, since an ESM import of
 * it loads undici as well.
 */

/** Proof that a handler answered: only `c.json`, `sendSse` and `sendNdjson` return it, so no route can forget to. */
export interface Sent {
  readonly answered: true;
}
export const SENT: Sent = Object.freeze({ answered: true });

/** A request listener, as `http.createServer` takes it. */
export type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** What a handler gets: the request's parts, read on demand, and a JSON answer. */
export interface Context {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The path the router matched (see `routedPath`), without the query. */
  readonly path: string;
  /** The protocol's declaration of the matched route (absent on a router made without a table, in tests). */
  readonly route: RouteDeclaration | undefined;
  /** A `:name` segment of the route, percent-decoded. */
  param(name: string): string;
  /** The first value of a query parameter (`+` reads as a space), or undefined. */
  query(name: string): string | undefined;
  header(name: string): string | undefined;
  /** The body as UTF-8 text, at most `MAX_BODY_BYTES` (else a 413 `NS_API_BODY_TOO_LARGE`). */
  text(): Promise<string>;
  json(body: unknown, status?: number): Sent;
}

export type Handler = (c: Context) => Sent | Promise<Sent>;

export interface Router {
  get(pattern: string, handler: Handler): void;
  post(pattern: string, handler: Handler): void;
  delete(pattern: string, handler: Handler): void;
  /** Answers a request: the first route whose method and pattern match, else a JSON 404. */
  readonly listener: Listener;
}

/** Requests carry small JSON documents (a deploy names a folder, it does not upload one). */
export const MAX_BODY_BYTES = 1024 * 1024;

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: Handler;
  readonly declaration: RouteDeclaration | undefined;
}

/**
 * Routes are tried in the order they were added; patterns are `/literal/:param` segments under `prefix`.
 * Given the protocol's table, every route added must be declared in it (else this throws as the API is built),
 * and its handler's context carries the declaration, against which `readJson` checks the body.
 */
export function createRouter(prefix: string, declared?: readonly RouteDeclaration[]): Router {
  const routes: Route[] = [];
  const add = (method: string) => (pattern: string, handler: Handler) => {
    const declaration = declared?.find((d) => d.method === method && d.path === pattern);
    if (declared && !declaration)
      throw new Error(`${method} ${pattern} is not declared in @nightshift/protocol's routes`);
    routes.push({ method, segments: (prefix + pattern).split('/'), handler, declaration });
  };
  const listener: Listener = (req, res) => void answer(routes, req, res);
  return { get: add('GET'), post: add('POST'), delete: add('DELETE'), listener };
}

async function answer(routes: readonly Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = routedPath(req);
  // HEAD is served by the GET route; node drops the body itself.
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const segments = path.split('/');
  try {
    for (const route of routes) {
      const params = route.method === method ? match(route.segments, segments) : null;
      if (params) {
        await route.handler(contextOf(req, res, path, params, route.declaration));
        return;
      }
    }
    throw new NightshiftError(
      ErrorCodes.notFound,
      `no route ${req.method} ${path}`,
      'see docs for the API routes',
    );
  } catch (err) {
    fail(res, err);
  }
}

/** A thrown error as the catalogue's `{ error }` body and status; a stream already under way can only be cut. */
function fail(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = toErrorBody(err);
  sendJson(res, body, statusOf(body.error.code));
}

/** Writes a complete JSON answer. */
export function sendJson(res: ServerResponse, body: unknown, status = 200): Sent {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  return SENT;
}

/**
 * The path as Hono routed it: percent-decoded except reserved characters, so `%2F` never splits a segment and
 * `%25` stays for the parameter decoding. Guards (the LOCAL_ONLY rule) test this same string.
 */
export function routedPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const end = url.search(/[?#]/);
  const raw = end === -1 ? url : url.slice(0, end);
  return raw.includes('%') ? tryDecode(raw, (v) => decodeURI(v.replace(/%25/g, '%2525'))) : raw;
}

function match(pattern: readonly string[], path: readonly string[]): Record<string, string> | null {
  if (pattern.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    const got = path[i]!;
    if (want.startsWith(':')) {
      if (got === '') return null;
      params[want.slice(1)] = got.includes('%') ? tryDecode(got, decodeURIComponent) : got;
    } else if (want !== got) {
      return null;
    }
  }
  return params;
}

/** Decodes what can be decoded and leaves invalid percent sequences as they are (never throws). */
function tryDecode(text: string, decode: (s: string) => string): string {
  try {
    return decode(text);
  } catch {
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decode(run);
      } catch {
        return run;
      }
    });
  }
}

function contextOf(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  params: Record<string, string>,
  route: RouteDeclaration | undefined,
): Context {
  let query: URLSearchParams | undefined;
  let body: Promise<string> | undefined;
  return {
    req,
    res,
    path,
    route,
    param: (name) => params[name] ?? '',
    query: (name) => {
      const url = req.url ?? '';
      const at = url.indexOf('?');
      query ??= new URLSearchParams(at === -1 ? '' : url.slice(at + 1).split('#')[0]);
      return query.get(name) ?? undefined;
    },
    header: (name) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    text: () => (body ??= readText(req, MAX_BODY_BYTES)),
    json: (value, status) => sendJson(res, value, status),
  };
}

function readText(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () =>
    new NightshiftError(
      ErrorCodes.apiBodyTooLarge,
      `the request body is larger than ${limit} bytes`,
      'API bodies are small JSON documents: a deploy names a folder, it does not upload it',
    );
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Keep it flowing but drop it: after the 413, node reads the rest and discards it. Closing the connection
      // instead would reset it with unread data, and the client would see ECONNRESET rather than the 413.
      req.off('data', onData);
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection before the body ended'));
    });
  });
}
