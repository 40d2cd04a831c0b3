import {
  API_PREFIX,
  pathOfCall,
  type AnswerOf,
  type CallOptions,
  type DeclOf,
  type ErrorBody,
  type WireRoute,
} from '@nightshift/protocol';

/** An API refusal as the page shows it: the catalogue's code, message and hint. */
export class ApiError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly status: number;
  constructor(status: number, body: ErrorBody['error']) {
    super(body.message);
    this.code = body.code;
    this.hint = body.hint;
    this.status = status;
  }
}

/** Called when a request comes back 401: the session ended (daemon restart, expiry), so show the login. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/**
 * Calls a declared route of @nightshift/protocol, as the CLI does, over the page's own origin: the session
 * cookie goes along by itself (same origin), and the browser adds the `Origin` the daemon checks on changes.
 */
export async function call<W extends WireRoute>(
  route: W,
  opts: CallOptions<W>,
): Promise<AnswerOf<DeclOf<W>>> {
  // No extra header on a GET: it would keep the browser from using a preloaded answer (pages.ts).
  const init: RequestInit = { method: route.method };
  if (route.method === 'POST') {
    init.body = JSON.stringify(opts.body ?? {});
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await fetch(API_PREFIX + pathOfCall(route, opts), init);
  const text = await res.text();
  const body: unknown = text === '' ? null : JSON.parse(text);
  if (!res.ok) {
    if (res.status === 401) onUnauthorized();
    const error = (body as ErrorBody | null)?.error ?? {
      code: 'NS_HTTP',
      message: `HTTP ${res.status}`,
      hint: '',
    };
    throw new ApiError(res.status, error);
  }
  return body as AnswerOf<DeclOf<W>>;
}

/** The URL of a streamed (SSE) route, for `EventSource`. */
export function streamUrl<W extends WireRoute>(route: W, opts: CallOptions<W>): string {
  return API_PREFIX + pathOfCall(route, opts);
}
