import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LINE_LIMIT } from '../../src/logs/index.js';
import { fragmentsOf, secretRedactor } from '../../src/secrets/redactor.js';
import { makeWorld, specOf, useTempDir, type World } from './helpers.js';

const temp = useTempDir();

function pipeOf(...chunks: string[]): PassThrough {
  const pass = new PassThrough();
  for (const chunk of chunks) pass.write(chunk);
  pass.end();
  return pass;
}

/** grep -r of a folder, as the acceptance asks: the paths of files containing `text` (binary files too). */
function grepR(dir: string, text: string): string[] {
  try {
    return execFileSync('grep', ['-r', '-l', '-a', '-F', '--', text, dir], { encoding: 'utf8' })
      .trim()
      .split('\n');
  } catch (err) {
    if ((err as { status?: number }).status === 1) return [];
    throw err;
  }
}

const replica = { app: 'shop', process: 'emails', source: 'emails.1' };

describe('secretRedactor', () => {
  it('replaces each value, each line of a multi-line value and the JSON-escaped form by the name', () => {
    const pem = '-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX\n-----END KEY-----';
    const quoted = 'pa"ss\\word-9';
    const redact = secretRedactor([
      ['TLS_KEY', pem],
      ['DB_PASS', quoted],
      ['PIN', '1234'],
    ])!;
    expect(redact('key line MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX here')).toBe(
      'key line [secret:TLS_KEY] here',
    );
    expect(redact(JSON.stringify({ key: pem }))).toBe('{"key":"[secret:TLS_KEY]"}');
    expect(redact(`raw ${quoted} and json ${JSON.stringify(quoted)}`)).toBe(
      'raw [secret:DB_PASS] and json "[secret:DB_PASS]"',
    );
    // Too short to redact: left as is (and `secrets set` warned).
    const clean = 'pin 1234';
    expect(redact(clean)).toBe(clean);
    expect(fragmentsOf('1234')).toEqual([]);
    expect(secretRedactor([['PIN', '1234']])).toBeNull();
  });

  it('prefers the longer of two overlapping values and returns the very same string when clean', () => {
    const redact = secretRedactor([
      ['SHORT', 'abcdef'],
      ['LONG', 'abcdef-ghijkl'],
    ])!;
    expect(redact('x abcdef-ghijkl y abcdef')).toBe('x [secret:LONG] y [secret:SHORT]');
    const line = 'nothing secret\nat all';
    expect(redact(line)).toBe(line);
    expect(redact.longestBytes).toBe('abcdef-ghijkl'.length);
  });
});

describe('redaction through the log pipeline', () => {
  async function world(fn: (w: World, home: string) => Promise<void>): Promise<void> {
    const home = temp();
    const w = makeWorld(home);
    try {
      await fn(w, home);
    } finally {
      await w.close();
    }
  }

  it('keeps every value out of process logs, run logs, live listeners and last lines; the database holds ciphertext only', () =>
    world(async (w, home) => {
      const url = 'postgres://shop:Zq8-very-secret-pw@db.internal:5432/shop';
      await w.secrets.set('shop', { DATABASE_URL: url }, true);
      const live: string[] = [];
      const stop = w.logs.subscribe({ app: 'shop' }, (line) => live.push(line.message));
      await w.logs.capture(
        replica,
        'out',
        pipeOf(`DATABASE_URL=${url}\n`, `{"msg":"connect","url":${JSON.stringify(url)}}\n`),
      );
      const runLog = join(home, 'apps', 'shop', 'runs', '7.log');
      mkdirSync(join(home, 'apps', 'shop', 'runs'), { recursive: true });
      await w.logs.capture(
        { app: 'shop', process: 'cron', source: 'cron:nightly#7', runLog },
        'err',
        pipeOf(`run sees ${url}\n`),
      );
      stop();

      const expected = [
        'DATABASE_URL=[secret:DATABASE_URL]',
        '{"msg":"connect","url":"[secret:DATABASE_URL]"}',
      ];
      expect((await w.logs.query({ app: 'shop', process: 'emails' })).map((l) => l.message)).toEqual(
        expected,
      );
      expect((await w.logs.readRunLog(runLog)).map((l) => l.message)).toEqual([
        'run sees [secret:DATABASE_URL]',
      ]);
      expect(live).toEqual([...expected, 'run sees [secret:DATABASE_URL]']);
      expect(w.logs.lastLines('shop', 'emails.1').map((l) => l.message)).toEqual(expected);
      await w.logs.close();
      w.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      expect(grepR(home, 'Zq8-very-secret-pw')).toEqual([]);
      expect(grepR(home, '[secret:DATABASE_URL]').length).toBeGreaterThan(0); // the search itself works
    }));

  it('redacts from daemon start, after a change the new and the old value, and a removed value', () =>
    world(async (w) => {
      await w.secrets.set('shop', { API_TOKEN: 'token-one-111111' }, true);
      w.reopen(); // a daemon start: redactors come from the store
      await w.logs.capture(replica, 'out', pipeOf('a token-one-111111\n'));
      w.live.set(
        'shop',
        specOf('shop', 'secrets: [API_TOKEN]\nworkers: [{ name: emails, start: sleep 1 }]\n'),
      );
      await w.secrets.set('shop', { API_TOKEN: 'token-two-222222' }, false);
      // Staged: the running process still holds the old value and may print it.
      await w.logs.capture(replica, 'out', pipeOf('b token-one-111111 token-two-222222\n'));
      await w.secrets.remove('shop', ['API_TOKEN'], { restart: false, force: true });
      await w.logs.capture(replica, 'out', pipeOf('c token-two-222222\n'));
      expect((await w.logs.query({ app: 'shop' })).map((l) => l.message)).toEqual([
        'a [secret:API_TOKEN]',
        'b [secret:API_TOKEN] [secret:API_TOKEN]',
        'c [secret:API_TOKEN]',
      ]);
    }));

  it('keeps a value whole across the 64 KiB split of an over-long line', () =>
    world(async (w) => {
      const value = 'S3CRET-'.repeat(40);
      await w.secrets.set('shop', { LONG_SECRET: value }, true);
      const line = `${'x'.repeat(LINE_LIMIT - 100)}${value}tail\n`;
      await w.logs.capture(replica, 'out', pipeOf(line));
      const pieces = (await w.logs.query({ app: 'shop' })).map((l) => l.message);
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.join('')).toBe(`${'x'.repeat(LINE_LIMIT - 100)}[secret:LONG_SECRET]tail`);
      expect(pieces.join('')).not.toContain('S3CRET');
    }));
});
