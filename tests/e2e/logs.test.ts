import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, Sandbox, sleep, waitFor } from './helpers.js';

interface JsonLine {
  time: string;
  source: string;
  replica: string | null;
  stream: string;
  message: string;
  fields?: Record<string, unknown>;
}

const parse = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as JsonLine);

const COUNTER = `
let n = 0;
const t = setInterval(() => {
  n += 1;
  console.log(JSON.stringify({ level: 'info', msg: 'tick', n, replica: process.env.NIGHTSHIFT_REPLICA }));
  if (n % 5 === 0) console.error('err line ' + n);
}, 40);
process.on('SIGTERM', () => { clearInterval(t); process.exit(0); });
`;

describe('nightshift logs against a real daemon', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('filters by replica and stream, parses JSON fields, and selects exact time windows', async () => {
    sb = new Sandbox('logs');
    sb.writeApp(
      `workers:\n  - name: counter\n    start: node counter.cjs\n    replicas: 2\n    stop_grace: 2s\n`,
      { 'counter.cjs': COUNTER },
    );
    await sb.cliOk(['up']);
    await waitFor(
      async () => parse((await sb.cliOk(['logs', '--json', '-n', '1000'])).stdout).length >= 60,
      15_000,
      '60 lines',
    );

    const all = parse((await sb.cliOk(['logs', '--json', '-n', '100000'])).stdout);
    const times = all.map((l) => Date.parse(l.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times); // merged in time order

    const one = parse((await sb.cliOk(['logs', 'counter.2', '--json', '-n', '100000'])).stdout);
    expect(one.length).toBeGreaterThan(10);
    expect(new Set(one.map((l) => l.source))).toEqual(new Set(['counter.2']));
    const outs = one.filter((l) => l.stream === 'out');
    expect(outs[0]!.fields).toMatchObject({ level: 'info', msg: 'tick', replica: 'counter.2' });
    // In order per replica: the counter never goes backwards or skips.
    const ns = outs.map((l) => l.fields!.n as number);
    expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => ns[0]! + i));

    const errs = parse(
      (await sb.cliOk(['logs', 'counter', '--stream', 'err', '--json', '-n', '100000'])).stdout,
    );
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.every((l) => l.stream === 'err' && l.message.startsWith('err line'))).toBe(true);

    // A window picked from real line times: --since is inclusive, --until exclusive.
    const from = all[10]!.time;
    const to = all[30]!.time;
    const windowed = parse(
      (await sb.cliOk(['logs', '--json', '-n', '100000', '--since', from, '--until', to])).stdout,
    );
    const expected = all.filter((l) => l.time >= from && l.time < to);
    expect(windowed).toEqual(expected);

    const human = (await sb.cliOk(['logs', 'counter.1', '-n', '3'])).stdout.trim().split('\n');
    expect(human).toHaveLength(3);
    for (const line of human)
      expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z counter\.1: /);
  });

  it('-t follows new lines live', async () => {
    sb = new Sandbox('tail');
    sb.writeApp(
      `workers:\n  - name: counter\n    start: node counter.cjs\n    replicas: 1\n    stop_grace: 2s\n`,
      { 'counter.cjs': COUNTER },
    );
    await sb.cliOk(['up']);
    await sleep(300);
    const child = spawn(process.execPath, [BIN, 'logs', '-t', '--json', '-n', '1', '--stream', 'out'], {
      cwd: sb.appDir,
      env: { ...process.env, ...sb.daemonEnv },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await waitFor(() => parse(out).length >= 20, 10_000, '20 followed lines');
      const ns = parse(out).map((l) => l.fields!.n as number);
      expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => ns[0]! + i)); // no gap between backlog and live
    } finally {
      child.kill();
    }
  });
});
