import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, sleep, waitFor } from './helpers.js';

// Issue 15, deliverable 1: health probes against real processes, in real time.

interface Ev {
  id: number;
  time: string;
  type: string;
  replica?: string;
  message: string;
  data: Record<string, unknown>;
}

async function events(sb: Sandbox): Promise<Ev[]> {
  return (JSON.parse((await sb.cliOk(['events', '--json', '-n', '500'])).stdout) as Ev[]).reverse();
}

/** A port free now (the kernel's pick), for a probe to address. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Answers 200 on /healthz until FAIL_AFTER_MS after its start, 500 after; logs each answer. */
const HTTP_WORKER = `const http = require('node:http');
const started = Date.now();
const failAfter = Number(process.env.FAIL_AFTER_MS);
http.createServer((req, res) => {
  const failing = Date.now() - started >= failAfter;
  console.log('probe ' + req.url + ' -> ' + (failing ? 500 : 200));
  res.writeHead(failing ? 500 : 200).end();
}).listen(Number(process.env.HEALTH_PORT), '127.0.0.1');
`;

/** Listens on HEALTH_PORT, then stops listening after STOP_AFTER_MS but stays alive. */
const TCP_WORKER = `const net = require('node:net');
const srv = net.createServer((s) => s.destroy()).listen(Number(process.env.HEALTH_PORT), '127.0.0.1');
setTimeout(() => { srv.close(); console.log('stopped listening'); }, Number(process.env.STOP_AFTER_MS));
setInterval(() => {}, 1000);
`;

/** Counts connections to COUNT_PORT (its own HEALTH_PORT when it has one) into count.<replica>. */
const COUNTER = `const net = require('node:net');
const fs = require('node:fs');
let n = 0;
const file = 'count.' + process.env.NIGHTSHIFT_REPLICA;
fs.writeFileSync(file, '0');
net.createServer((s) => { n++; fs.writeFileSync(file, String(n)); s.destroy(); })
  .listen(Number(process.env.COUNT_PORT || process.env.HEALTH_PORT), '127.0.0.1');
`;

describe('health probes (real processes, real time)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('a worker whose /healthz answers 500 after 10 s is restarted after `failures` probes, with the event and its reason', async () => {
    sb = new Sandbox('hhttp');
    const port = await freePort();
    sb.writeApp(
      `workers:\n  - name: api\n    start: node worker.js\n    env: { FAIL_AFTER_MS: "10000" }\n` +
        `    health: { port: ${port}, path: /healthz, interval: 1s, timeout: 500ms, failures: 3, start_period: 2s }\n` +
        `    restart: { backoff: 200ms }\n    stop_grace: 2s\n`,
      { 'worker.js': HTTP_WORKER },
    );
    const t0 = Date.now();
    await sb.cliOk(['up']);
    // Before the failures start, ps says starting, then healthy.
    await waitFor(async () => (await sb.ps())[0]?.health === 'healthy', 10_000, 'healthy');
    const counted = await waitFor(
      async () => {
        const h = (await sb.ps())[0]?.health;
        return h?.startsWith('unhealthy (') ? h : null;
      },
      20_000,
      'a counted failure',
    );
    expect(counted).toMatch(/^unhealthy \([12]\/3\)$/);
    const unhealthy = await waitFor(
      async () => (await events(sb)).find((e) => e.type === 'replica:unhealthy'),
      20_000,
      'replica:unhealthy',
    );
    const at = Date.parse(unhealthy.time) - t0;
    // 500s start at 10 s; three probes a second apart fail: the restart cannot come before ~12 s.
    expect(at).toBeGreaterThanOrEqual(12_000);
    expect(at).toBeLessThan(20_000);
    expect(unhealthy.replica).toBe('api.1');
    expect(unhealthy.data).toMatchObject({ error: 'HTTP status 500', failures: 3, port });
    expect((unhealthy.data.lastLines as string[]).some((l) => l.includes('-> 500'))).toBe(true);
    const crash = await waitFor(
      async () => (await events(sb)).find((e) => e.type === 'replica:crashed' && e.id > unhealthy.id),
      10_000,
      'the restart',
    );
    expect(crash.data).toMatchObject({ cause: 'unhealthy', signal: 'SIGTERM' });
    const ps = await waitFor(
      async () => {
        const [r] = await sb.ps();
        return r && r.restarts >= 1 && r.state === 'running' ? r : null;
      },
      10_000,
      'restarted',
    );
    expect(ps.lastExit).toMatchObject({ cause: 'unhealthy' });
    expect(ps.health).toBe('starting');
    expect((await sb.cliOk(['ps'])).stdout).toMatch(/api\.1\s+running\s+starting/);
  }, 60_000);

  it('a TCP-probe worker that stops listening is restarted (connection refused)', async () => {
    sb = new Sandbox('htcp');
    const port = await freePort();
    sb.writeApp(
      `workers:\n  - name: tcp\n    start: node worker.js\n    env: { STOP_AFTER_MS: "2000" }\n` +
        `    health: { port: ${port}, interval: 500ms, timeout: 400ms, failures: 2, start_period: 0s }\n` +
        `    restart: { backoff: 200ms }\n    stop_grace: 2s\n`,
      { 'worker.js': TCP_WORKER },
    );
    await sb.cliOk(['up']);
    const unhealthy = await waitFor(
      async () => (await events(sb)).find((e) => e.type === 'replica:unhealthy'),
      20_000,
      'replica:unhealthy',
    );
    expect(unhealthy.data).toMatchObject({ error: 'connection refused', failures: 2 });
    expect((unhealthy.data.lastLines as string[]).join('\n')).toContain('stopped listening');
    await waitFor(async () => (await sb.ps())[0]!.restarts >= 1, 10_000, 'restarted');
  }, 60_000);

  it('replica N is probed on port + N − 1; a worker without health is never probed', async () => {
    sb = new Sandbox('hnone');
    const probed = await freePort();
    const quiet = await freePort();
    sb.writeApp(
      `workers:\n  - name: probed\n    start: node counter.js\n    replicas: 2\n` +
        `    health: { port: ${probed}, interval: 200ms, timeout: 150ms, start_period: 0s }\n` +
        `  - name: quiet\n    start: node counter.js\n    env: { COUNT_PORT: "${quiet}" }\n`,
      { 'counter.js': COUNTER },
    );
    // Replica 2 of `probed` listens on probed + 1 (process/ports.ts).
    await sb.cliOk(['up']);
    const release = join(sb.home, 'apps', sb.app, 'releases', 'v1');
    const count = (replica: string) => {
      try {
        return Number(readFileSync(join(release, `count.${replica}`), 'utf8'));
      } catch {
        return -1;
      }
    };
    await waitFor(
      () => count('probed.1') >= 5 && count('probed.2') >= 5,
      15_000,
      'both probed replicas probed',
    );
    await sleep(1_000);
    expect(count('quiet.1')).toBe(0);
    const ps = await sb.ps();
    expect(ps.find((r) => r.replica === 'probed.2')?.health).toBe('healthy');
    expect(ps.find((r) => r.replica === 'quiet.1')?.health).toBeNull();
    expect(ps.every((r) => r.restarts === 0)).toBe(true);
  }, 60_000);

  it('scale refuses a count that would give two replicas one probe port (NS_PORT_OVERLAP)', async () => {
    sb = new Sandbox('hscale');
    sb.writeApp(
      `workers:\n  - name: a\n    start: sleep 1000\n    health: { port: 41000 }\n` +
        `  - name: b\n    start: sleep 1000\n    metrics: { port: 41002 }\n`,
    );
    await sb.cliOk(['up']);
    await sb.cliOk(['scale', 'a=2']);
    const res = await sb.cli(['scale', 'a=3']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('NS_PORT_OVERLAP');
    expect(res.stderr).toContain('a health ports 41000–41002');
    expect((await sb.ps()).filter((r) => r.process === 'a')).toHaveLength(2);
  }, 60_000);
});
