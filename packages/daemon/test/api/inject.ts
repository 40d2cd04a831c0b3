import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Writable } from 'node:stream';
import type { Listener } from '../../src/api/http/router.js';

/**
 * Calls a request listener in process, without a socket (STYLE 13: real sockets only end to end): a request is
 * a readable stream with node's request fields, the answer a writable with the response methods the API uses,
 * read back as a web `Response` whose body streams as the listener writes it. Aborting `init.signal` is the
 * client going away (the answer's `close` before it finished).
 */
export function inject(listener: Listener): (path: string, init?: RequestInit) => Promise<Response> {
  return (path, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries([...new Headers(init.headers)].map(([k, v]) => [k.toLowerCase(), v]));
    const body = init.body;
    if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));
    const req = Object.assign(new PassThrough(), { url: path, method, headers, complete: false });
    const res = new InjectedResponse(method === 'HEAD');
    init.signal?.addEventListener('abort', () => res.destroy(), { once: true });
    listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    void feed(req, body);
    return res.response;
  };
}

async function feed(req: PassThrough & { complete: boolean }, body: RequestInit['body']): Promise<void> {
  if (typeof body === 'string') req.write(body);
  else if (body instanceof ReadableStream) {
    for await (const chunk of body as ReadableStream<Uint8Array>) req.write(chunk);
  } else if (body != null) throw new Error('inject sends string or stream bodies only');
  req.complete = true;
  req.end();
}

class InjectedResponse extends Writable {
  statusCode = 200;
  headersSent = false;
  readonly response: Promise<Response>;
  #resolve!: (r: Response) => void;
  #headers: Record<string, string> = {};
  #body: ReadableStreamDefaultController<Uint8Array> | null = null;
  readonly #head: boolean;

  constructor(head: boolean) {
    super();
    this.#head = head;
    this.response = new Promise((resolve) => (this.#resolve = resolve));
    this.on('finish', () => this.#settle((body) => body.close()));
    this.on('close', () => {
      this.#answer();
      if (!this.writableFinished)
        this.#settle((body) => body.error(new Error('the listener cut the answer')));
    });
  }

  /** Headers set before `writeHead` (the TCP guard's security headers, a login's cookie) go out with it. */
  setHeader(name: string, value: string | number | readonly string[]): this {
    this.#headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    return this;
  }

  writeHead(status: number, headers: Record<string, string | number> = {}): this {
    this.statusCode = status;
    for (const [k, v] of Object.entries(headers)) this.#headers[k.toLowerCase()] = String(v);
    this.#answer();
    return this;
  }

  flushHeaders(): void {
    this.#answer();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.#answer();
    if (!this.#head) this.#settle((body) => body.enqueue(new Uint8Array(chunk)), false);
    done();
  }

  /** Acts on the answer's body unless the reader has cancelled it (a test that read only what it needed). */
  #settle(act: (body: ReadableStreamDefaultController<Uint8Array>) => void, last = true): void {
    const body = this.#body;
    if (!body) return;
    if (last) this.#body = null;
    try {
      act(body);
    } catch {
      this.#body = null;
    }
  }

  /** Commits the status and headers: the `Response` resolves, its body open for what follows. */
  #answer(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    const stream = new ReadableStream<Uint8Array>({ start: (controller) => void (this.#body = controller) });
    this.#resolve(
      new Response(this.#head ? null : stream, { status: this.statusCode, headers: this.#headers }),
    );
  }
}

/** A listener to call in process. */
export interface Injected {
  request(path: string, init?: RequestInit): Promise<Response>;
}

/** `inject` with the interface the route tests had when they served on loopback ports. */
export function useInject(): (listener: Listener) => Promise<Injected> {
  return (listener) => Promise.resolve({ request: inject(listener) });
}
