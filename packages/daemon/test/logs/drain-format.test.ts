import { describe, expect, it } from 'vitest';
import { formatSyslog, frameOctetCounted, lokiBody, ndjsonRecord } from '../../src/drains/index.js';
import { parseDrainUrl } from '../../src/drains/index.js';
import type { LogLine } from '../../src/logs/index.js';

const line: LogLine = {
  id: '42',
  time: Date.UTC(2026, 10, 23, 18, 48, 2, 123),
  app: 'shop',
  process: 'emails',
  source: 'emails.2',
  stream: 'err',
  message: 'sent "ok" ] ünïcode',
};

describe('drain URLs', () => {
  it('accepts the documented schemes', () => {
    expect(parseDrainUrl('syslog+tls://logs.example.com:6514')).toEqual({
      kind: 'syslog',
      tls: true,
      host: 'logs.example.com',
      port: 6514,
    });
    expect(parseDrainUrl('syslog+tcp://10.0.0.1')).toEqual({
      kind: 'syslog',
      tls: false,
      host: '10.0.0.1',
      port: 601,
    });
    const https = parseDrainUrl('https://user:p%40ss@collector.example.com/in');
    expect(https.kind === 'https' && [https.url.href, https.authorization]).toEqual([
      'https://collector.example.com/in',
      `Basic ${Buffer.from('user:p@ss').toString('base64')}`,
    ]);
    const loki = parseDrainUrl('loki+https://loki.example.com');
    expect(loki.kind === 'loki' && loki.url.href).toBe('https://loki.example.com/loki/api/v1/push');
  });

  it.each(['http://plain.example.com', 'syslog://x:514', 'ftp://x', 'not a url', 'syslog+tcp://x:1/path'])(
    'rejects %s with NS_DRAIN_URL_INVALID and the accepted schemes',
    (url) => {
      expect(() => parseDrainUrl(url)).toThrow(
        expect.objectContaining({
          code: 'NS_DRAIN_URL_INVALID',
          hint: expect.stringContaining('syslog+tls://'),
        }),
      );
    },
  );

  it('never shows a password in its error', () => {
    expect(() => parseDrainUrl('gopher://u:secretpw@x')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secretpw') }),
    );
  });
});

describe('drain formats', () => {
  it('formats RFC 5424 with app, replica, stream and escaped structured data, framed by octet count', () => {
    const message = formatSyslog(line, 'host-1');
    expect(message).toBe(
      '<11>1 2026-11-23T18:48:02.123Z host-1 shop emails.2 err [nightshift@32473 process="emails" replica="emails.2" stream="err" id="42"] sent "ok" ] ünïcode',
    );
    const frame = frameOctetCounted(message);
    const [count, ...rest] = frame.split(' ');
    expect(Number(count)).toBe(Buffer.byteLength(rest.join(' ')));
    expect(formatSyslog({ ...line, stream: 'out', source: 'we"ird]' }, '')).toContain('<14>1 ');
    expect(formatSyslog({ ...line, source: 'we"ird]' }, '')).toContain('replica="we\\"ird\\]"');
  });

  it('writes NDJSON records with ISO times and Loki streams labelled by app, process, replica and stream', () => {
    expect(JSON.parse(ndjsonRecord(line))).toEqual({ ...line, time: '2026-11-23T18:48:02.123Z' });
    const body = JSON.parse(
      lokiBody([line, { ...line, id: '43', message: 'two' }, { ...line, id: '44', stream: 'out' }]),
    );
    expect(body.streams).toEqual([
      {
        stream: { app: 'shop', process: 'emails', replica: 'emails.2', stream: 'err' },
        values: [
          [`${line.time}000000`, line.message],
          [`${line.time}000000`, 'two'],
        ],
      },
      {
        stream: { app: 'shop', process: 'emails', replica: 'emails.2', stream: 'out' },
        values: [[`${line.time}000000`, line.message]],
      },
    ]);
  });
});
