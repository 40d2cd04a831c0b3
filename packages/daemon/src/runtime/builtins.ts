import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/*
 * Built-ins that cost memory merely by being imported, loaded on first use instead. An ESM `import` of
 * `node:http` builds the module's namespace, which evaluates http's lazy `WebSocket`/`CloseEvent` getters and
 * so loads Node's bundled undici for the daemon's lifetime; `require` does not. `node:tls` and
 * `node:https` set up OpenSSL's contexts, needed only while a drain sends over TLS; `node:zlib` and
 * `node:util` are needed only by an HTTP drain and a git snapshot;
 * `node:crypto` only once a secret is stored. docs/architecture.md has the measurements.
 */
export const nodeHttp = (): typeof import('node:http') => require('node:http') as typeof import('node:http');
export const nodeHttps = (): typeof import('node:https') =>
  require('node:https') as typeof import('node:https');
export const nodeTls = (): typeof import('node:tls') => require('node:tls') as typeof import('node:tls');
export const nodeZlib = (): typeof import('node:zlib') => require('node:zlib') as typeof import('node:zlib');
export const nodeCrypto = (): typeof import('node:crypto') =>
  require('node:crypto') as typeof import('node:crypto');
