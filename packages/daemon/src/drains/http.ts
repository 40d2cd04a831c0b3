import type { LogLine } from '../logs/types.js';
import { DeliveryError, type Transport } from './transport.js';
import { nodeHttp, nodeHttps, nodeZlib } from '../runtime/builtins.js';

export interface HttpOptions {
  readonly url: URL;
  readonly authorization: string | null;
  /** Extra trusted CA (PEM), e.g. a test or private CA. */
  readonly ca?: string | Buffer;
  readonly timeoutMs: number;
}

/** The NDJSON record of a line: the `LogLine` with an ISO time. */
export function ndjsonRecord(line: LogLine): string {
  return JSON.stringify({ ...line, time: new Date(line.time).toISOString() });
}

/** POSTs gzip-compressed NDJSON batches (`application/x-ndjson`, `Content-Encoding: gzip`). */
export function ndjsonTransport(options: HttpOptions): Transport {
  return {
    maxBatch: 1000,
    async send(lines) {
      const body = await gzipText(lines.map(ndjsonRecord).join('\n') + '\n');
      await post(options, body, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
    },
    close() {},
  };
}

/** The Loki push body: one stream per app/process/replica/stream label set, values as [ns, line]. */
export function lokiBody(lines: readonly LogLine[]): string {
  const streams = new Map<string, { stream: Record<string, string>; values: Array<[string, string]> }>();
  for (const line of lines) {
    const key = `${line.app}\0${line.process}\0${line.source}\0${line.stream}`;
    let entry = streams.get(key);
    if (entry === undefined) {
      entry = {
        stream: { app: line.app, process: line.process, replica: line.source, stream: line.stream },
        values: [],
      };
      streams.set(key, entry);
    }
    entry.values.push([`${line.time}000000`, line.message]);
  }
  return JSON.stringify({ streams: [...streams.values()] });
}

/** POSTs batches to Loki's push API as JSON. */
export function lokiTransport(options: HttpOptions): Transport {
  return {
    maxBatch: 1000,
    async send(lines) {
      await post(options, Buffer.from(lokiBody(lines)), { 'content-type': 'application/json' });
    },
    close() {},
  };
}

/** One POST; 2xx is delivered, 408/429/5xx and network errors may be retried, other statuses not. */
function post(options: HttpOptions, body: Buffer, headers: Record<string, string>): Promise<void> {
  const { url, authorization, ca, timeoutMs } = options;
  const request = url.protocol === 'https:' ? nodeHttps().request : nodeHttp().request;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca,
        timeout: timeoutMs,
        headers: {
          ...headers,
          'content-length': String(body.length),
          'user-agent': 'nightshift-drain',
          ...(authorization === null ? {} : { authorization }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve();
          const retriable = status === 408 || status === 429 || status >= 500;
          reject(new DeliveryError(`${url.host} answered HTTP ${status}`, retriable));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => reject(new DeliveryError(`${url.host}: ${error.message}`, true, error)));
    req.end(body);
  });
}

function gzipText(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    nodeZlib().gzip(text, (err, out) => (err ? reject(err) : resolve(out))),
  );
}
