import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogService, type LogService } from '../../src/logs/index.js';
import { waitFor } from './receivers.js';
import { pipeOf, useTempDir } from './helpers.js';

const tempDir = useTempDir();
const KiB = 1024;

/** Numbered lines of about 100 bytes from one replica, in 16 KiB chunks as a pipe delivers them. */
async function capture(logs: LogService, source: string, from: number, count: number): Promise<void> {
  let text = '';
  for (let n = from; n < from + count; n++) text += `${source} ${n} ${'x'.repeat(90)}\n`;
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += 16 * KiB) chunks.push(text.slice(at, at + 16 * KiB));
  const [process] = source.split('.');
  await logs.capture({ app: 'shop', process: process!, source }, 'out', pipeOf(...chunks));
}

/** ~25 compressed 128 KiB segments of emails.1, then billing.1 and emails.2 lines in the current files. */
async function backlog(): Promise<{ logs: LogService; logsDir: string }> {
  const dir = tempDir();
  const logs = createLogService({ dir, retainBytes: 64 * 1024 * KiB, maxFileBytes: 128 * KiB });
  await capture(logs, 'emails.1', 1, 30_000);
  await capture(logs, 'billing.1', 1, 500);
  await capture(logs, 'emails.2', 1, 700);
  const logsDir = join(dir, 'shop', 'logs');
  await waitFor(
    () => readdirSync(logsDir).filter((n) => /\.\d+\.log(\.gz\.partial)?$/.test(n)).length === 0,
    10_000,
    'rotated segments compressed',
  );
  return { logs, logsDir };
}

describe('readAfter: pages forward through stored lines', () => {
  it('returns what the full history holds after the id, for ids in old segments, new ones and the end', async () => {
    const { logs } = await backlog();
    const all = await logs.query({ app: 'shop', limit: 1_000_000 });
    expect(all).toHaveLength(31_200);
    const ids = all.map((l) => Number(l.id));
    for (const at of [0, 1, 777, 12_345, 29_990, 30_000, 30_600, 31_199, 31_200]) {
      const after = at === 0 ? 0 : ids[at - 1]!;
      for (const limit of [1, 250, 1000]) {
        const page = await logs.readAfter('shop', String(after), {}, limit);
        expect(page.map((l) => l.id)).toEqual(all.slice(at, at + limit).map((l) => l.id));
        expect(page.map((l) => l.message)).toEqual(all.slice(at, at + limit).map((l) => l.message));
      }
    }
    const emails2 = await logs.readAfter(
      'shop',
      String(ids[100]),
      { process: 'emails', source: 'emails.2' },
      50,
    );
    expect(emails2.map((l) => l.message.split(' ')[1])).toEqual(
      Array.from({ length: 50 }, (_, i) => String(i + 1)),
    );
  });

  it('pages through the whole backlog once, in order, every line once', async () => {
    const { logs } = await backlog();
    const seen: number[] = [];
    for (let after = '0'; ;) {
      const page = await logs.readAfter('shop', after, { process: 'emails' }, 1000);
      if (page.length === 0) break;
      seen.push(...page.map((l) => Number(l.id)));
      after = page.at(-1)!.id;
    }
    expect(seen).toHaveLength(30_700);
    expect(seen.every((id, i) => i === 0 || id > seen[i - 1]!)).toBe(true);
  });

  it('does not read segments newer than the page it returns', async () => {
    const { logs, logsDir } = await backlog();
    const segments = readdirSync(logsDir)
      .filter((n) => /^emails\.\d+\.log\.gz$/.test(n))
      .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
    expect(segments.length).toBeGreaterThan(20);
    const firstId = Number((await logs.readAfter('shop', '0', {}, 1))[0]!.id);
    // The newest rotated segments become unreadable: a page from the start must not need them (reading back from
    // the newest line, as a page once did, unpacked every one of them for every page).
    for (const name of segments.slice(-3)) writeFileSync(join(logsDir, name), 'not gzip');
    const page = await logs.readAfter('shop', String(firstId), {}, 100);
    expect(page.map((l) => Number(l.id))).toEqual(Array.from({ length: 100 }, (_, i) => firstId + 1 + i));
  });
});
