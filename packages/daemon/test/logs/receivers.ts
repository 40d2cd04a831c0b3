import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** A free TCP port on 127.0.0.1 (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** A self-signed certificate for 127.0.0.1/localhost, made with openssl in `dir`. */
export function selfSignedCert(dir: string): { key: string; cert: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/** Polls until `check` is true or `ms` passed. */
export async function waitFor(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One received HTTP request: headers and body (gunzipped when gzip-encoded). */
export interface Received {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** An HTTP(S) receiver that records requests and answers `status()`. */
export async function httpReceiver(options: {
  port?: number;
  tls?: { key: string; cert: string };
  status?: () => number;
}): Promise<{ server: Server; port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const handler = (req: IncomingMessage, res: import('node:http').ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body =
        req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = options.status?.() ?? 204;
      res.end();
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    received,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A syslog-over-TLS receiver that splits RFC 6587 octet-counted frames. */
export async function tlsSyslogReceiver(tls: {
  key: string;
  cert: string;
}): Promise<{ port: number; messages: string[]; close: () => Promise<void> }> {
  const messages: string[] = [];
  const server = createTlsServer(tls, (socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const space = pending.indexOf(0x20);
        if (space < 0) break;
        const length = Number(pending.toString('latin1', 0, space));
        if (pending.length < space + 1 + length) break;
        messages.push(pending.toString('utf8', space + 1, space + 1 + length));
        pending = pending.subarray(space + 1 + length);
      }
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    messages,
    close: async () => {
      server.close();
      await once(server, 'close');
    },
  };
}

const RSYSLOGD = '/usr/sbin/rsyslogd';

/**
 * Makes sure Debian's rsyslog is installed (installing it when missing and we may: root with apt-get).
 * Returns a reason when it cannot be had, so the test can skip loudly.
 */
export function ensureRsyslog(): string | null {
  if (existsSync(RSYSLOGD)) return null;
  if (process.getuid?.() !== 0) return 'rsyslogd is not installed and this user cannot apt-get install it';
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', timeout: 120_000 });
    execFileSync('apt-get', ['install', '-y', '-qq', 'rsyslog'], {
      stdio: 'ignore',
      timeout: 180_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch (error) {
    return `installing rsyslog failed: ${(error as Error).message}`;
  }
  return existsSync(RSYSLOGD) ? null : 'rsyslog installed but rsyslogd is missing';
}

/**
 * Runs rsyslogd in the foreground with a private config: imtcp on `port`, every message written to
 * `<dir>/received.log` with the template `app|procid|msgid|structured-data|msg`. No system file is touched.
 */
export async function startRsyslog(
  dir: string,
  port: number,
): Promise<{ output: string; stop: () => Promise<void> }> {
  const output = join(dir, 'received.log');
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    [
      `global(workDirectory="${dir}")`,
      'module(load="imtcp")',
      'template(name="fields" type="string" string="%app-name%|%procid%|%msgid%|%structured-data%|%msg%\\n")',
      'ruleset(name="drain") {',
      `  action(type="omfile" file="${output}" template="fields" flushOnTXEnd="on" asyncWriting="off")`,
      '}',
      `input(type="imtcp" address="127.0.0.1" port="${port}" ruleset="drain")`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rsyslogd exited: ${stderr}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`rsyslogd did not listen on ${port}: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}
