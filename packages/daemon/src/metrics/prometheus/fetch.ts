import { nodeHttp } from '../../runtime/builtins.js';

/** A scrape answer larger than this is refused: one replica must not grow the daemon by its output. */
export const MAX_SCRAPE_BYTES = 4 * 2 ** 20;

/**
 * GETs `http://127.0.0.1:<port><path>` and resolves with the body, or rejects on a non-2xx status, a body over
 * `MAX_SCRAPE_BYTES`, or after `timeoutMs` in all (connect, headers and body: a target that trickles its
 * answer is cut at the same deadline as one that never answers).
 */
export function fetchLoopback(port: number, path: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = nodeHttp().get(
      { host: '127.0.0.1', port, path, agent: false, headers: { accept: 'text/plain;version=0.0.4' } },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          res.resume();
          fail(new Error(`HTTP ${status}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_SCRAPE_BYTES) fail(new Error(`answer over ${MAX_SCRAPE_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve(Buffer.concat(chunks).toString('utf8'));
        });
        res.on('error', fail);
      },
    );
    const timer = setTimeout(() => fail(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on('error', fail);
    function fail(err: Error): void {
      clearTimeout(timer);
      req.destroy();
      reject(err);
    }
  });
}
