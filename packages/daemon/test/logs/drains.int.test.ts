import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDrain, type Drain } from '../../src/drains/index.js';
import type { LogLine } from '../../src/logs/index.js';
import { useTempDir } from './helpers.js';
import {
  ensureRsyslog,
  freePort,
  httpReceiver,
  selfSignedCert,
  startRsyslog,
  tlsSyslogReceiver,
  waitFor,
} from './receivers.js';

const tempDir = useTempDir();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
function track(drain: Drain): Drain {
  cleanups.push(() => drain.close(0));
  return drain;
}

function lines(count: number, from = 1): LogLine[] {
  return Array.from({ length: count }, (_, k) => ({
    id: String(from + k),
    time: Date.UTC(2026, 10, 23, 18, 48, 2, k),
    app: 'shop',
    process: 'emails',
    source: `emails.${1 + (k % 2)}`,
    stream: k % 3 === 0 ? 'err' : 'out',
    message: `line ${from + k} ünïcode`,
  }));
}

let rsyslogMissing: string | null = null;
beforeAll(() => {
  rsyslogMissing = ensureRsyslog();
  if (rsyslogMissing !== null) console.warn(`\n!!! SKIPPING the rsyslog drain test: ${rsyslogMissing} !!!\n`);
}, 300_000);

describe('syslog drains', () => {
  it('delivers RFC 5424 octet-counted messages that Debian rsyslog (imtcp) parses: app, replica, stream, data', async (ctx) => {
    if (rsyslogMissing !== null) ctx.skip();
    const dir = tempDir();
    const port = await freePort();
    const rsyslog = await startRsyslog(dir, port);
    cleanups.push(rsyslog.stop);
    const drain = track(
      createDrain(`syslog+tcp://127.0.0.1:${port}`, { hostname: 'test-host', lingerMs: 5 }),
    );
    const sent = lines(200);
    // A newline inside a message is only kept in one message with octet counting (LF framing would split it).
    sent.push({ ...sent[0]!, id: '999', message: 'first half\nsecond half' });
    for (const line of sent) drain.push(line);
    await waitFor(() => drain.stats().delivered === sent.length, 10_000, 'delivery');
    await waitFor(
      () =>
        existsSync(rsyslog.output) && readFileSync(rsyslog.output, 'utf8').split('\n').length > sent.length,
      10_000,
      'rsyslog output',
    );
    const received = readFileSync(rsyslog.output, 'utf8').trimEnd().split('\n');
    expect(received.length).toBe(sent.length);
    expect(received[1]).toBe(
      'shop|emails.2|out|[nightshift@32473 process="emails" replica="emails.2" stream="out" id="2"]|line 2 ünïcode',
    );
    expect(received.slice(0, 200).map((r) => r.split('|').at(-1))).toEqual(
      sent.slice(0, 200).map((l) => l.message),
    );
    expect(received.at(-1)).toMatch(/\|first half(#012|\\n|\n)second half$/);
    expect(drain.stats()).toMatchObject({ undelivered: 0, buffered: 0 });
  });

  it('delivers over TLS to a receiver with a private CA', async () => {
    const tls = selfSignedCert(tempDir());
    const receiver = await tlsSyslogReceiver(tls);
    cleanups.push(receiver.close);
    const drain = track(
      createDrain(`syslog+tls://127.0.0.1:${receiver.port}`, { ca: tls.cert, hostname: 'h', lingerMs: 5 }),
    );
    for (const line of lines(50)) drain.push(line);
    await waitFor(() => receiver.messages.length === 50, 10_000, 'TLS messages');
    expect(receiver.messages[0]).toMatch(
      /^<11>1 2026-11-23T18:48:02\.000Z h shop emails\.1 err \[nightshift@32473 [^\]]*\] line 1 ünïcode$/,
    );
    expect(drain.stats()).toMatchObject({ delivered: 50, undelivered: 0 });
  });
});

describe('https drains', () => {
  it('posts gzip NDJSON batches to an HTTPS receiver', async () => {
    const tls = selfSignedCert(tempDir());
    const receiver = await httpReceiver({ tls });
    cleanups.push(receiver.close);
    const drain = track(
      createDrain(`https://u:pw@127.0.0.1:${receiver.port}/ingest`, { ca: tls.cert, lingerMs: 20 }),
    );
    const sent = lines(2500);
    for (const line of sent) drain.push(line);
    await waitFor(() => drain.stats().delivered === sent.length, 10_000, 'delivery');
    expect(receiver.received.length).toBeGreaterThanOrEqual(3);
    expect(receiver.received.length).toBeLessThan(sent.length / 100);
    for (const request of receiver.received) {
      expect(request.path).toBe('/ingest');
      expect(request.headers['content-type']).toBe('application/x-ndjson');
      expect(request.headers['content-encoding']).toBe('gzip');
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from('u:pw').toString('base64')}`);
    }
    const records = receiver.received.flatMap((r) =>
      r.body
        .trimEnd()
        .split('\n')
        .map((text) => JSON.parse(text) as Record<string, unknown>),
    );
    expect(records.map((r) => r.message)).toEqual(sent.map((l) => l.message));
    expect(records[0]).toEqual({ ...sent[0], time: '2026-11-23T18:48:02.000Z' });
  });

  it('counts what it cannot deliver while the endpoint is down, reports it, and recovers when it is back', async () => {
    const tls = selfSignedCert(tempDir());
    const port = await freePort();
    const reported: number[] = [];
    const drain = track(
      createDrain(`https://127.0.0.1:${port}/ingest`, {
        ca: tls.cert,
        bufferLines: 100,
        backoffBaseMs: 20,
        maxBackoffMs: 100,
        lingerMs: 5,
        reportIntervalMs: 10,
        onUndelivered: (count) => reported.push(count),
      }),
    );
    const sent = lines(150);
    for (const line of sent) drain.push(line);
    await waitFor(() => drain.stats().lastError !== null, 5000, 'a failed attempt');
    expect(drain.stats()).toMatchObject({ delivered: 0, undelivered: 50, buffered: 100 });
    expect(drain.stats().lastError!.message).toMatch(/ECONNREFUSED/);
    await waitFor(() => reported.reduce((a, b) => a + b, 0) === 50, 5000, 'the undelivered report');

    const receiver = await httpReceiver({ tls, port });
    cleanups.push(receiver.close);
    await waitFor(() => drain.stats().delivered === 100, 10_000, 'recovery');
    const got = receiver.received.flatMap((r) =>
      r.body
        .trimEnd()
        .split('\n')
        .map((text) => (JSON.parse(text) as LogLine).id),
    );
    // The oldest 50 overflowed; the 100 newest arrive, once each and in order.
    expect(got).toEqual(sent.slice(50).map((l) => l.id));
    expect(drain.stats()).toMatchObject({ undelivered: 50, buffered: 0 });
  });

  it('counts a batch the receiver refuses for good, and retries one it refuses for now', async () => {
    let status = 400;
    const receiver = await httpReceiver({ status: () => status });
    cleanups.push(receiver.close);
    const drain = track(
      createDrain(`loki+http://127.0.0.1:${receiver.port}`, { lingerMs: 5, backoffBaseMs: 20 }),
    );
    for (const line of lines(10)) drain.push(line);
    await waitFor(() => drain.stats().undelivered === 10, 5000, 'the refused batch');
    status = 503;
    for (const line of lines(5, 11)) drain.push(line);
    await waitFor(() => receiver.received.length >= 3, 5000, 'retries');
    expect(drain.stats()).toMatchObject({ delivered: 0, buffered: 5 });
    status = 204;
    await waitFor(() => drain.stats().delivered === 5, 5000, 'delivery after 503s');
    const last = JSON.parse(receiver.received.at(-1)!.body) as {
      streams: Array<{ stream: Record<string, string>; values: string[][] }>;
    };
    expect(receiver.received.at(-1)!.path).toBe('/loki/api/v1/push');
    expect(last.streams.flatMap((s) => s.values.map((v) => v[1]))).toEqual(
      expect.arrayContaining(lines(5, 11).map((l) => l.message)),
    );
    expect(last.streams[0]!.stream).toEqual({
      app: 'shop',
      process: 'emails',
      replica: expect.stringMatching(/^emails\.\d$/),
      stream: expect.any(String),
    });
  });
});
