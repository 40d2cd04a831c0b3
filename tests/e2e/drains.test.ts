import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, waitFor } from './helpers.js';

const COUNTER = `
let n = 0;
const t = setInterval(() => console.log('line ' + (++n)), 20);
process.on('SIGTERM', () => { clearInterval(t); process.exit(0); });
`;

/** A local Loki-protocol receiver (gzip or not), recording every message. */
async function receiver(): Promise<{ server: Server; url: string; messages: string[] }> {
  const messages: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      // Loki's push API: { streams: [{ stream: labels, values: [[ns, line], …] }] }.
      const push = JSON.parse(body.toString('utf8')) as { streams: { values: [string, string][] }[] };
      for (const stream of push.streams) for (const [, line] of stream.values) messages.push(line);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    url: `loki+http://127.0.0.1:${(server.address() as AddressInfo).port}/loki/api/v1/push`,
    messages,
  };
}

describe('log drains through the daemon', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('forwards every line, counts what an unreachable endpoint missed, and survives a daemon restart', async () => {
    sb = new Sandbox('drains');
    sb.writeApp(
      `workers:\n  - name: counter\n    start: node counter.cjs\n    replicas: 1\n    stop_grace: 2s\n`,
      { 'counter.cjs': COUNTER },
    );
    await sb.cliOk(['up']);
    const rx = await receiver();
    try {
      await sb.cliOk(['drains', 'add', rx.url]);
      await waitFor(() => rx.messages.length >= 30, 15_000, '30 drained lines');
      const numbers = rx.messages.map((m) => Number(/line (\d+)/.exec(m)?.[1]));
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => numbers[0]! + i)); // none lost, in order
      const listed = JSON.parse((await sb.cliOk(['drains', 'ls', '--json'])).stdout) as {
        id: number;
        delivered: number;
        undelivered: number;
      }[];
      expect(listed).toHaveLength(1);
      expect(listed[0]!.delivered).toBeGreaterThan(0);

      // The endpoint goes away: lines are retried, then counted as undelivered, never silently.
      const bad = 'loki+http://127.0.0.1:9/loki/api/v1/push';
      await sb.cliOk(['drains', 'add', bad]);
      await waitFor(
        async () => {
          const list = JSON.parse((await sb.cliOk(['drains', 'ls', '--json'])).stdout) as {
            url: string;
            buffered: number;
            undelivered: number;
            lastError: unknown;
          }[];
          const d = list.find((x) => x.url.includes(':9/'));
          return d && d.lastError !== null && d.buffered + d.undelivered > 0;
        },
        20_000,
        'the broken drain to report an error',
      );

      const invalid = await sb.cli(['drains', 'add', 'ftp://nope']);
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toContain('NS_DRAIN_URL_INVALID');

      const id = JSON.parse((await sb.cliOk(['drains', 'ls', '--json'])).stdout)[0].id as number;
      await sb.cliOk(['daemon', 'stop']);
      const before = rx.messages.length;
      await sb.cliOk(['up']);
      await waitFor(() => rx.messages.length > before + 10, 15_000, 'drained lines after a restart');
      await sb.cliOk(['drains', 'rm', String(id)]);
      const after = JSON.parse((await sb.cliOk(['drains', 'ls', '--json'])).stdout) as { id: number }[];
      expect(after.map((d) => d.id)).not.toContain(id);
    } finally {
      rx.server.close();
    }
  });
});
