import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, waitFor } from './helpers.js';

const TOTAL = 160_000;

/** Peak resident memory of a process so far (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

describe('nightshift logs -n over 100,000', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('prints every line asked for, in order, without the daemon holding the answer', async () => {
    sb = new Sandbox('biglog');
    sb.writeApp(`workers:\n  - name: w\n    start: sh -c 'seq 1 ${TOTAL}; exec sleep 1000'\n`);
    await sb.cliOk(['up']);
    await waitFor(
      async () => (await sb.cliOk(['logs', '-n', '1'])).stdout.endsWith(`: ${TOTAL}\n`),
      60_000,
      'the last line stored',
    );
    const res = await sb.cliOk(['logs', '-n', '150000']);
    const lines = res.stdout.split('\n').slice(0, -1);
    expect(lines.length).toBe(150_000);
    const first = TOTAL - 150_000 + 1;
    const wrong = lines.findIndex((line, i) => !line.endsWith(` w.1: ${first + i}`));
    expect(wrong, lines[wrong]).toBe(-1);

    // More than there is: all of it, and no word of a cap.
    const all = await sb.cliOk(['logs', '-n', '1000000', '--json']);
    expect(all.stdout.split('\n').length - 1).toBe(TOTAL);
    expect(all.stderr).toBe('');
  });

  it('streams: the daemon does not hold the answer, whatever its size', async () => {
    sb = new Sandbox('biglog');
    // 20,000 lines of 2 KiB: 40 MiB that a daemon holding the answer would have to keep at once.
    const emit = `const pad = 'x'.repeat(2048); for (let i = 1; i <= 20000; i++) process.stdout.write(i + ' ' + pad + '\\n'); setInterval(() => {}, 1e6);`;
    sb.writeApp(`workers:\n  - name: w\n    start: node emit.cjs\n`, { 'emit.cjs': emit });
    await sb.cliOk(['up']);
    await waitFor(
      async () => (await sb.cliOk(['logs', '-n', '1'])).stdout.includes(': 20000 x'),
      60_000,
      'the last line stored',
    );
    const daemon = sb.daemonPid()!;
    // A tenth of the answer first: the daemon's heap grows to its working size for streaming.
    await sb.cliOk(['logs', '-n', '2000']);
    const before = peakRss(daemon);
    const res = await sb.cliOk(['logs', '-n', '20000']);
    const grown = peakRss(daemon) - before;
    expect(res.stdout.split('\n').length - 1).toBe(20_000);
    expect(grown).toBeLessThan(Buffer.byteLength(res.stdout) / 4);
  });

  it('refuses a count that is not a whole number, saying how to write one', async () => {
    sb = new Sandbox('biglog');
    sb.writeApp(`workers:\n  - name: w\n    start: sleep 1000\n`);
    await sb.cliOk(['up']);
    const res = await sb.cli(['logs', '-n', '1.5']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('-n "1.5" is not a whole number');
  });
});
