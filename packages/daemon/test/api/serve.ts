import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import type { Listener } from '../../src/api/http/router.js';

/** A request listener served on an ephemeral 127.0.0.1 port. */
export interface Served {
  readonly url: string;
  /** `fetch` against the server: `path` is sent as written (no normalisation beyond the URL parser's). */
  request(path: string, init?: RequestInit): Promise<Response>;
}

/**
 * Serves listeners on real loopback ports for the current test and closes them (open streams included) after it,
 * so a test cannot leave a socket behind.
 */
export function useServe(): (listener: Listener) => Promise<Served> {
  const open: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((close) => close()));
  });
  return async (listener) => {
    const server = createServer(listener);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    open.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, request: (path, init) => fetch(url + path, init) };
  };
}
