import * as net from 'node:net';
import { nodeHttp } from '../../runtime/builtins.js';
import type { ProbeResult } from '../pure/health.js';

/** Where one replica's probe goes. The host is always loopback: a probe never leaves the machine. */
export interface ProbeTarget {
  readonly type: 'http' | 'tcp';
  readonly port: number;
  /** HTTP path; null for a TCP connect. */
  readonly path: string | null;
}

export const PROBE_HOST = '127.0.0.1';

/** One probe: HTTP GET (2xx/3xx healthy) or a TCP connect, given up after `timeoutMs`. Never rejects. */
export type ProbeCheck = (target: ProbeTarget, timeoutMs: number) => Promise<ProbeResult>;

export const checkProbe: ProbeCheck = (target, timeoutMs) =>
  target.type === 'http'
    ? checkHttp(target.port, target.path ?? '/', timeoutMs)
    : checkTcp(target.port, timeoutMs);

function describe(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ECONNRESET') return 'connection reset';
  return err.code ? `${err.code}: ${err.message}` : err.message;
}

function checkHttp(port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    // No keep-alive agent: each probe is its own connection, as the kubelet's are.
    const req = nodeHttp().get({
      host: PROBE_HOST,
      port,
      path,
      agent: false,
      headers: { 'user-agent': 'nightshift-probe' },
    });
    const timer = setTimeout(() => done({ ok: false, error: `timeout after ${timeoutMs} ms` }), timeoutMs);
    req.once('response', (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      done(status >= 200 && status < 400 ? { ok: true } : { ok: false, error: `HTTP status ${status}` });
    });
    req.once('error', (err) => done({ ok: false, error: describe(err) }));
  });
}

function checkTcp(port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = net.connect({ host: PROBE_HOST, port });
    const done = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, error: `timeout after ${timeoutMs} ms` }), timeoutMs);
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (err) => done({ ok: false, error: describe(err) }));
  });
}
