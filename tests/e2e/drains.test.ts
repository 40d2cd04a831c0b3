import { existsSync } from 'node:fs';
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

const TAGGED = `
let n = 0;
const t = setInterval(() => console.log('run ' + process.pid + ' line ' + (++n)), 10);
process.on('SIGTERM', () => { clearInterval(t); process.exit(0); });
`;

/** A local Loki-protocol receiver (gzip or not), recording every message; 503 to everything while `down`. */
async function receiver(): Promise<{
  server: Server;
  url: string;
  messages: string[];
  setDown: (down: boolean) => void;
}> {
  const messages: string[] = [];
  let down = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (down) {
        res.statusCode = 503;
        return res.end();
      }
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
    setDown: (value) => void (down = value),
  };
}

/** `run <pid> line <n>` messages by pid, numbers in the order seen. */
function byRun(messages: readonly string[]): Map<number, number[]> {
  const runs = new Map<number, number[]>();
  for (const m of messages) {
    const match = /run (\d+) line (\d+)/.exec(m);
    if (!match) continue;
    const pid = Number(match[1]);
    runs.set(pid, [...(runs.get(pid) ?? []), Number(match[2])]);
  }
  return runs;
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

  it('resumes after a daemon stop (every stored line once, in order) and after kill -9 (every stored line, some twice)', async () => {
    sb = new Sandbox('drainresume');
    sb.writeApp(`workers:\n  - name: tagged\n    start: node tagged.cjs\n    stop_grace: 2s\n`, {
      'tagged.cjs': TAGGED,
    });
    await sb.cliOk(['up']);
    const rx = await receiver();
    try {
      await sb.cliOk(['drains', 'add', rx.url]);
      await waitFor(() => rx.messages.length >= 30, 15_000, '30 drained lines');
      // The receiver refuses while the daemon stops: what the drain holds then waits on disk for the next one.
      rx.setDown(true);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await sb.cliOk(['daemon', 'stop']);
      rx.setDown(false);
      await sb.cliOk(['up']);
      await waitFor(() => byRun(rx.messages).size >= 2, 15_000, "the second run's lines");
      // The resumed drain replays in id order, so the first run is complete once the second run's lines come.
      const storedLines = async () =>
        byRun(
          (await sb.cliOk(['logs', '-n', '100000', '--json'])).stdout
            .trim()
            .split('\n')
            .map((line) => (JSON.parse(line) as { message: string }).message),
        );
      const [first] = [...(await storedLines()).keys()];
      const firstStored = (await storedLines()).get(first!)!;
      const firstDrained = byRun(rx.messages).get(first!)!;
      // Stopped: every line it stored after the drain was added, once and in order, though the last second of
      // them had been refused when the daemon stopped.
      expect(firstDrained).toEqual(firstStored.filter((n) => n >= firstDrained[0]!));
      expect(firstDrained.length).toBeGreaterThan(90);

      const pid = sb.daemonPid()!;
      process.kill(pid, 'SIGKILL');
      await waitFor(() => !existsSync(`/proc/${pid}`), 5_000, 'the daemon gone');
      sb.startDaemon();
      await waitFor(async () => (await sb.cli(['apps'])).code === 0, 15_000, 'the daemon to answer');
      await waitFor(() => byRun(rx.messages).size >= 3, 20_000, "the third run's lines");
      // Killed: every line it stored arrives; those after its last checkpoint (≤ 5 s) arrive twice.
      const stored = await storedLines();
      const [, second] = [...stored.keys()];
      const delivered = new Set(byRun(rx.messages).get(second!));
      expect(stored.get(second!)!.filter((n) => !delivered.has(n))).toEqual([]);
      const events = (await sb.cliOk(['events', '--json', '-n', '1000'])).stdout;
      expect(events).not.toContain('drain:undelivered');
    } finally {
      rx.server.close();
    }
  });
});
