/**
 * A real HTTP dependency for handlers to call, which a test can stop and start again on the same port: the
 * outage a circuit breaker is for. It counts the successful calls per job number, so a test can tell a job run
 * twice from a job lost.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Dependency {
  /** Successful calls per job number. */
  readonly served: Map<number, number>;
  /** Calls `GET /<n>`; rejects when the server is down or answers an error. */
  call(n: number): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts the dependency on a free loopback port. */
export async function startDependency(): Promise<Dependency> {
  const served = new Map<number, number>();
  let port = 0;
  let server: Server | undefined;
  const listen = async (): Promise<void> => {
    const next = createServer((req, res) => {
      const n = Number(req.url?.slice(1));
      served.set(n, (served.get(n) ?? 0) + 1);
      res.writeHead(200, { connection: 'close' }).end('ok');
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  await listen();
  return {
    served,
    call: (n) =>
      new Promise<void>((resolve, reject) => {
        // No keep-alive agent: the suite's leak check counts sockets, and a pooled one would outlive the test.
        const req = request({ host: '127.0.0.1', port, path: `/${n}`, agent: false }, (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`dependency said ${res.statusCode}`)),
          );
        });
        req.on('error', reject);
        req.end();
      }),
    async stop() {
      const running = server;
      server = undefined;
      if (!running) return;
      running.closeAllConnections();
      await new Promise<void>((resolve) => running.close(() => resolve()));
    },
    start: listen,
  };
}
