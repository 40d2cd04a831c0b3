import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogService, LINE_LIMIT, makeRedactor } from '../../src/logs/index.js';
import { pipeOf, useTempDir } from './helpers.js';

const tempDir = useTempDir();
const target = { app: 'shop', process: 'emails', source: 'emails.1' };

describe('makeRedactor', () => {
  it('replaces every value by its name, longer values first, and returns the same string when clean', () => {
    const redact = makeRedactor({ SMTP_PASS: 'hunter2', TOKEN: 'hunter2-long', EMPTY: '', RE: 'a.b*c' });
    expect(redact('login hunter2 then hunter2-long and a.b*c')).toBe(
      'login [secret:SMTP_PASS] then [secret:TOKEN] and [secret:RE]',
    );
    expect(redact('axbbc is not a.b*c-like')).toBe('axbbc is not [secret:RE]-like');
    const clean = 'nothing to see';
    expect(redact(clean)).toBe(clean);
  });
});

describe('redaction in capture', () => {
  it('redacts before writing and before live listeners see the line', async () => {
    const dir = tempDir();
    const logs = createLogService({ dir });
    logs.setRedactor('shop', makeRedactor({ DATABASE_URL: 'postgres://u:p@db/x' }));
    const live: string[] = [];
    const stop = logs.subscribe({ app: 'shop' }, (line) => live.push(line.message));
    await logs.capture(target, 'out', pipeOf('connecting to postgres://u:p@db/x now\nclean line\n'));
    stop();
    const expected = ['connecting to [secret:DATABASE_URL] now', 'clean line'];
    expect((await logs.query({ app: 'shop' })).map((l) => l.message)).toEqual(expected);
    expect(live).toEqual(expected);
    expect(readFileSync(join(dir, 'shop', 'logs', 'emails.log'), 'utf8')).not.toContain('u:p@db');
    expect(logs.lastLines('shop', 'emails.1').map((l) => l.message)).toEqual(expected);
    await logs.close();
  });

  it('keeps a secret whole when it straddles the 64 KiB split of an over-long line', async () => {
    const dir = tempDir();
    const logs = createLogService({ dir });
    const secret = 'S3CRET-VALUE-0123456789';
    logs.setRedactor('shop', makeRedactor({ API_KEY: secret }));
    for (const offset of [1, 5, secret.length - 1]) {
      const line = `${'a'.repeat(LINE_LIMIT - offset)}${secret}${'b'.repeat(100)}\n`;
      // Byte by byte would be slow; odd chunk sizes still exercise the carry.
      const bytes = Buffer.from(line);
      await logs.capture(
        target,
        'out',
        pipeOf(bytes.subarray(0, 30_000), bytes.subarray(30_000, 65_000), bytes.subarray(65_000)),
      );
    }
    const lines = await logs.query({ app: 'shop' });
    expect(lines.length).toBe(6);
    for (const line of lines) expect(line.message).not.toMatch(/S3CRET/);
    const joined = lines.map((l) => l.message).join('|');
    expect(joined.match(/\[secret:API_KEY\]/g)!.length).toBe(3);
    expect(readFileSync(join(dir, 'shop', 'logs', 'emails.log'), 'utf8')).not.toContain('S3CRET');
    await logs.close();
  });

  it('redacts a value that appears only in one line of a clean-looking chunk', async () => {
    const logs = createLogService({ dir: tempDir() });
    logs.setRedactor('shop', makeRedactor({ P: 'pw1' }));
    const body =
      Array.from({ length: 1000 }, (_, i) => (i === 500 ? 'the pw1 line' : `line ${i}`)).join('\n') + '\n';
    await logs.capture(target, 'out', pipeOf(body));
    const lines = await logs.query({ app: 'shop', limit: 1000 });
    expect(lines.length).toBe(1000);
    expect(lines[500]!.message).toBe('the [secret:P] line');
    expect(lines.filter((l) => l.message.includes('[secret:')).length).toBe(1);
    await logs.close();
  });
});
