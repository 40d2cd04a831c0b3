import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, waitFor } from './helpers.js';

const MiB = 1024 * 1024;
/**
 * The figures: 1 GB into `retain: 100Mi`. Through the real daemon that took 14–19 s here (24 s for the
 * whole test); NIGHTSHIFT_E2E_FLOOD_MB makes it smaller on a slow machine, keeping the 10:1 ratio of flood to
 * retention.
 */
const FLOOD_MB = Number(process.env.NIGHTSHIFT_E2E_FLOOD_MB ?? 1000);
const RETAIN_MIB = Math.max(2, Math.round(FLOOD_MB / 10));
const LINE_BYTES = 200;
const COUNT = Math.round((FLOOD_MB * 1e6) / LINE_BYTES);
/** The segment size for that retention: an eighth of it, at most 10 MiB (logs/retention.ts). */
const SEGMENT = Math.min(10 * MiB, Math.floor((RETAIN_MIB * MiB) / 8));

/**
 * Numbered lines of 200 bytes, `F <n> <text> <hex>`: 64 random hex characters a line, so the lines compress about
 * as well as real logs do (a few times) rather than to nothing. Then it sleeps: a worker that exits is restarted.
 */
const FLOOD = `
const { randomBytes } = require('node:crypto');
const count = ${COUNT};
const head = ' user=4711 action=checkout status=200 path=/api/v1/orders ';
async function main() {
  let batch = '';
  for (let n = 1; n <= count; n++) {
    const start = 'F ' + n + head;
    batch += start + randomBytes(32).toString('hex') + ' ' + 'x'.repeat(${LINE_BYTES} - start.length - 66) + '\\n';
    if (batch.length >= 65536) {
      if (!process.stdout.write(batch)) await new Promise((r) => process.stdout.once('drain', r));
      batch = '';
    }
  }
  process.stdout.write(batch + 'FLOOD DONE\\n');
}
main().then(() => setInterval(() => {}, 1e6));
`;

interface Segment {
  name: string;
  /** Numbers of the flood's lines, in file order, and their stamps. */
  numbers: number[];
  times: number[];
  broken: number;
}

/** Every file of the process, oldest first (rotated by generation, then the current one), read whole. */
function readSegments(logsDir: string): Segment[] {
  const names = readdirSync(logsDir).filter((name) => /^f(\.\d+)?\.log(\.gz)?$/.test(name));
  const gen = (name: string) => (name === 'f.log' ? Infinity : Number(name.split('.')[1]));
  return names
    .sort((a, b) => gen(a) - gen(b))
    .map((name) => {
      const bytes = readFileSync(join(logsDir, name));
      const text = (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('latin1');
      const segment: Segment = { name, numbers: [], times: [], broken: 0 };
      for (const record of text.split('\n')) {
        if (record === '' || record.startsWith('#')) continue;
        const [time, , source, stream, message = ''] = record.split('\t');
        if (message === 'FLOOD DONE') continue;
        const [tag, n] = message.split(' ');
        const whole =
          message.length === LINE_BYTES - 1 && tag === 'F' && source === 'f.1' && stream === 'out';
        if (!whole) segment.broken++;
        segment.numbers.push(Number(n));
        segment.times.push(Number(time));
      }
      return segment;
    });
}

function diskOf(logsDir: string): number {
  let bytes = 0;
  for (const name of existsSync(logsDir) ? readdirSync(logsDir) : []) {
    try {
      bytes += statSync(join(logsDir, name)).size;
    } catch {
      // removed between listing and stat
    }
  }
  return bytes;
}

describe('log retention under a flood', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it(`${FLOOD_MB} MB into retain: ${RETAIN_MIB}Mi stays under the retention plus one segment, keeps the newest lines whole, and logs --since reads compressed segments`, async () => {
    sb = new Sandbox('retain');
    sb.writeApp(`workers:\n  - name: f\n    start: node flood.cjs\nlogs: { retain: ${RETAIN_MIB}Mi }\n`, {
      'flood.cjs': FLOOD,
    });
    await sb.cliOk(['up']);
    const logsDir = join(sb.home, 'apps', sb.app, 'logs');
    let peak = 0;
    const started = Date.now();
    const sampler = setInterval(() => (peak = Math.max(peak, diskOf(logsDir))), 20);
    try {
      await waitFor(
        async () => (await sb.cliOk(['logs', '-n', '1'])).stdout.includes('FLOOD DONE'),
        600_000,
        'the end of the flood',
      );
      const floodMs = Date.now() - started;
      // Compression of the last segments finishes after the flood.
      await waitFor(
        async () =>
          Promise.resolve(!readdirSync(logsDir).some((name) => /\.\d+\.log(\.gz\.partial)?$/.test(name))),
        120_000,
        'every rotated segment compressed',
      );
      clearInterval(sampler);
      peak = Math.max(peak, diskOf(logsDir));
      process.stderr.write(
        `flood of ${FLOOD_MB} MB (${COUNT} lines) into retain ${RETAIN_MIB}Mi: stored in ${floodMs} ms; peak disk ${(peak / MiB).toFixed(1)} MiB, now ${(diskOf(logsDir) / MiB).toFixed(1)} MiB\n`,
      );
      expect(peak).toBeLessThanOrEqual(RETAIN_MIB * MiB + SEGMENT);

      // The lines kept: a contiguous run ending at the last line, every one whole, across compressed segments.
      const segments = readSegments(logsDir);
      const numbers = segments.flatMap((s) => s.numbers);
      expect(segments.reduce((sum, s) => sum + s.broken, 0)).toBe(0);
      expect(numbers.at(-1)).toBe(COUNT);
      const gap = numbers.findIndex((n, i) => i > 0 && n !== numbers[i - 1]! + 1);
      expect(gap, `line ${numbers[gap]} follows ${numbers[gap - 1]}`).toBe(-1);
      const compressed = segments.filter((s) => s.name.endsWith('.gz') && s.numbers.length > 0);
      expect(compressed.length).toBeGreaterThanOrEqual(3);
      process.stderr.write(
        `kept ${numbers.length} lines (${((numbers.length * LINE_BYTES) / MiB).toFixed(1)} MiB of text) in ${segments.length} files\n`,
      );

      // logs --since/--until over the boundary of two compressed segments gives exactly the stored lines of the window.
      const [older, newer] = compressed.slice(-3, -1) as [Segment, Segment];
      const since = older.times.at(-1)! - 1;
      const until = newer.times[0]! + 2;
      const expected = segments.flatMap((s) =>
        s.numbers.filter((_, i) => s.times[i]! >= since && s.times[i]! < until),
      );
      const iso = (ms: number) => new Date(ms).toISOString();
      const res = await sb.cliOk([
        'logs',
        '--since',
        iso(since),
        '--until',
        iso(until),
        '-n',
        '1000000',
        '--json',
      ]);
      const got = res.stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => Number((JSON.parse(line) as { message: string }).message.split(' ')[1]));
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(expected);
      expect(got).toContain(older.numbers.at(-1));
      expect(got).toContain(newer.numbers[0]);

      // logs --disk says what the app holds, against its retention.
      const disk = JSON.parse((await sb.cliOk(['logs', '--disk', '--json'])).stdout) as {
        apps: { app: string; bytes: number; retainBytes: number; compressedFiles: number }[];
      };
      const entry = disk.apps.find((a) => a.app === sb.app)!;
      expect(entry.retainBytes).toBe(RETAIN_MIB * MiB);
      expect(entry.bytes).toBeLessThanOrEqual(RETAIN_MIB * MiB + SEGMENT);
      expect(entry.compressedFiles).toBeGreaterThanOrEqual(3);
      const table = (await sb.cliOk(['logs', '--disk'])).stdout;
      expect(table).toMatch(new RegExp(`^${sb.app}\\s+\\S+\\s+${RETAIN_MIB}Mi\\s`, 'm'));
    } finally {
      clearInterval(sampler);
    }
  }, 900_000);

  it('keeps an app’s own retention across a daemon restart (never the smaller default), and applies a changed one at deploy', async () => {
    sb = new Sandbox('retain');
    const marker = join(sb.root, 'flooded');
    // About 6 MB that compresses only about twice, once: a restarted replica must not flood again.
    const once = `
      const fs = require('node:fs');
      const { randomBytes } = require('node:crypto');
      if (!fs.existsSync(process.env.MARKER)) {
        let text = '';
        for (let n = 1; n <= 60000; n++) text += 'F ' + n + ' ' + randomBytes(44).toString('hex') + '\\n';
        process.stdout.write(text + 'FLOOD DONE\\n');
        fs.writeFileSync(process.env.MARKER, '');
      }
      setInterval(() => {}, 1e6);
    `;
    const manifest = (retain: string) =>
      `env: { MARKER: ${marker} }\nworkers:\n  - name: f\n    start: node once.cjs\nlogs: { retain: ${retain} }\n`;
    const daemonDefault = { NIGHTSHIFT_LOGS_RETAIN: '1Mi' };
    sb.writeApp(manifest('8Mi'), { 'once.cjs': once });
    await sb.cliOk(['up'], { env: daemonDefault });
    const logsDir = join(sb.home, 'apps', sb.app, 'logs');
    await waitFor(
      async () => (await sb.cliOk(['logs', '-n', '1'])).stdout.includes('FLOOD DONE'),
      60_000,
      'the flood stored',
    );
    const settled = () =>
      waitFor(
        async () =>
          Promise.resolve(!readdirSync(logsDir).some((name) => /\.\d+\.log(\.gz\.partial)?$/.test(name))),
        60_000,
        'every rotated segment compressed',
      );
    await settled();
    const before = diskOf(logsDir);
    expect(before).toBeGreaterThan(2 * MiB);
    expect(before).toBeLessThanOrEqual(8 * MiB + MiB);

    await sb.cliOk(['daemon', 'stop']);
    await sb.cliOk(['up'], { env: daemonDefault });
    const disk = async () =>
      (
        JSON.parse((await sb.cliOk(['logs', '--disk', '--json'])).stdout) as {
          apps: { app: string; bytes: number; retainBytes: number }[];
        }
      ).apps.find((a) => a.app === sb.app)!;
    expect((await disk()).retainBytes).toBe(8 * MiB);
    expect(diskOf(logsDir)).toBeGreaterThanOrEqual(before - 64 * 1024);

    sb.writeApp(manifest('2Mi'), { 'once.cjs': once });
    await sb.cliOk(['up'], { env: daemonDefault });
    const now = await disk();
    expect(now.retainBytes).toBe(2 * MiB);
    expect(now.bytes).toBeLessThanOrEqual(2 * MiB + 256 * 1024);
  }, 180_000);
});
