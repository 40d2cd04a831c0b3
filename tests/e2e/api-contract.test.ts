import { request } from 'node:http';
import { Queue } from 'bullmq';
import { join } from 'node:path';
import { API_PREFIX } from '@nightshift/protocol';
import { pathOf, ROUTES, routes, type RouteDeclaration } from '@nightshift/protocol/routes';
import { afterEach, describe, expect, it } from 'vitest';
import { procEnv, Sandbox, waitFor } from './helpers.js';

/**
 * Every route of the protocol's table, called on a real daemon with a valid request: its answer must match the
 * route's declared schema (for a stream, its first message). A route whose answer drifts fails here.
 */
interface Answer {
  status: number;
  text: string;
}

function send(
  socket: string,
  method: string,
  path: string,
  body?: unknown,
  accept = 'application/json',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath: socket,
        method,
        path,
        headers: { accept, ...(text ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let out = '';
        res
          .setEncoding('utf8')
          .on('data', (c: string) => (out += c))
          .on('end', () => resolve({ status: res.statusCode ?? 0, text: out }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/**
 * The first SSE message of one of `types` that carries data, then the connection is dropped. A stream that
 * ends or stays silent for 30 s fails with what it did send.
 */
function firstEvent(
  socket: string,
  path: string,
  types: readonly string[],
): Promise<{ status: number; event: string; data: string }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new Error(
              `${path}: no ${types.join('/')} event in 30 s; got ${JSON.stringify(buf.slice(0, 500))}`,
            ),
          ),
        ),
      30_000,
    );
    const req = request(
      { socketPath: socket, method: 'GET', path, headers: { accept: 'text/event-stream' } },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          for (const block of buf.split('\n\n').slice(0, -1)) {
            const lines = block.split('\n');
            const event =
              lines
                .find((l) => l.startsWith('event:'))
                ?.slice(6)
                .trim() ?? 'message';
            const data = lines
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trimStart())
              .join('\n');
            if (types.includes(event) && data) {
              finish(() => resolve({ status: res.statusCode ?? 0, event, data }));
              return;
            }
          }
        });
        res.on('end', () =>
          finish(() =>
            reject(
              new Error(
                `${path}: ended before a ${types.join('/')} event; got ${JSON.stringify(buf.slice(0, 500))}`,
              ),
            ),
          ),
        );
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish(() => (err.code === 'ECONNRESET' ? undefined : reject(err))),
    );
    req.end();
  });
}

describe('the API answers as the protocol declares (real daemon)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('every declared route, called with a valid request, answers what its schema says', async () => {
    sb = new Sandbox('contract');
    sb.writeApp(
      `redis: true\nworkers:\n  - name: w\n    start: sh -c 'while true; do echo tick; sleep 0.2; done'\n    stop_grace: 2s\n  - name: a\n    start: sh -c 'while true; do sleep 1; done'\n    stop_grace: 2s\n    resources: { cpu: 0.25 }\n    autoscale: { min: 1, max: 3, cpu: 50 }\ncron:\n  - name: j\n    schedule: "0 3 * * *"\n    command: sh -c 'echo job ran'\n  - name: long\n    schedule: "0 4 * * *"\n    command: sh -c 'sleep 30'\n`,
    );
    await sb.cliOk(['up']);
    const socket = join(sb.home, 'daemon.sock');
    const app = sb.app;
    const called = new Set<RouteDeclaration>();

    const check = (route: RouteDeclaration, status: number, payload: unknown) => {
      called.add(route);
      expect(status, `${route.method} ${route.path}`).toBe(route.status ?? 200);
      const parsed = route.answer.safeParse(payload);
      expect(
        parsed.success,
        `${route.method} ${route.path}: ${parsed.error?.message}\n${JSON.stringify(payload).slice(0, 500)}`,
      ).toBe(true);
    };
    const call = async (
      route: RouteDeclaration,
      params: Record<string, string | number> = {},
      body?: unknown,
      query = '',
    ) => {
      const res = await send(
        socket,
        route.method,
        `${API_PREFIX}${pathOf(route, params)}${query}`,
        body ?? (route.method === 'POST' ? {} : undefined),
      );
      let payload: unknown;
      try {
        payload = JSON.parse(res.text);
      } catch {
        throw new Error(
          `${route.method} ${route.path}: ${res.status}, not JSON: ${JSON.stringify(res.text.slice(0, 300))}`,
        );
      }
      check(route, res.status, payload);
      return payload as Record<string, unknown> & unknown[];
    };
    const stream = async (
      route: RouteDeclaration,
      params: Record<string, string | number>,
      type: string,
      query = '',
      other?: { type: string; route: RouteDeclaration },
    ) => {
      const types = other ? [type, other.type] : [type];
      const first = await firstEvent(socket, `${API_PREFIX}${pathOf(route, params)}${query}`, types).catch(
        async (err: Error) => {
          // What the app was doing tells a silent stream from a stopped process.
          const ps = await send(socket, 'GET', `${API_PREFIX}/apps/${app}/ps`);
          throw new Error(`${err.message}\nps: ${ps.text.slice(0, 1500)}`);
        },
      );
      called.add(route);
      // A finished run's stream may say `end` (with the run) before any line.
      check(first.event === type ? route : other!.route, first.status, JSON.parse(first.data));
    };

    await call(routes.daemonInfo);
    await call(routes.deploy, {}, { dir: sb.appDir });
    await call(routes.listApps);
    await call(routes.psAll);
    await call(routes.ps, { app });
    await call(routes.metrics, { app }, undefined, '?process=w&replica=1&step=60');
    await call(routes.scale, { app }, { changes: [{ process: 'w', op: '=', count: 2 }] });
    await call(routes.autoscaleBounds, { app }, { process: 'a', min: 1, max: 2 });
    await call(routes.autoscaleStatus, { app }, undefined, '?process=a');
    await call(routes.restart, { app }, { process: 'w' });
    await call(routes.stopProcess, { app }, { process: 'w' });
    await call(routes.startProcess, { app }, { process: 'w' });
    await call(routes.events, {}, undefined, `?app=${app}&n=20`);
    await call(routes.appEvents, { app }, undefined, '?n=20');
    await stream(routes.eventStream, { app }, 'event', '?after=0');
    await waitFor(
      async () => (await send(socket, 'GET', `${API_PREFIX}/apps/${app}/logs?n=5`)).text.includes('tick'),
      10_000,
      'a line',
    );
    await call(routes.logs, { app }, undefined, '?n=5');
    await stream(routes.logStream, { app }, 'line');
    await call(routes.logDisk);

    const drain = await call(routes.addDrain, { app }, { url: 'https://127.0.0.1:1/logs' });
    await call(routes.listDrains, { app });
    await call(routes.removeDrain, { app, id: drain.id as number });

    const oneOff = await call(routes.runOneOff, { app }, { argv: ['true'] });
    await call(
      routes.oneOffFinished,
      { app },
      { argv: ['true'], release: oneOff.release, exitCode: 0, signal: null, durationMs: 3 },
    );

    await call(routes.cronJobs, { app });
    await call(routes.cronAll);
    // The dashboard's login, over the socket (the browser's side is tests/browser/dashboard-auth.test.ts).
    const link = await call(routes.loginCode);
    await call(routes.login, {}, { code: link.code as string });
    await call(routes.logout);
    const run = await call(routes.cronRun, { app, job: 'j' }, { force: false });
    await waitFor(
      async () =>
        JSON.parse(
          (await send(socket, 'GET', `${API_PREFIX}/apps/${app}/cron/runs/${run.id as number}`)).text,
        ).status === 'succeeded',
      10_000,
      'the run',
    );
    await call(routes.cronRunInfo, { app, id: run.id as number });
    await call(routes.cronRunLogs, { app, id: run.id as number });
    await stream(routes.cronRunLogStream, { app, id: run.id as number }, 'line', '', {
      type: 'end',
      route: routes.cronRunInfo,
    });
    await call(routes.cronHistory, { app, job: 'j' }, undefined, '?n=5');
    await call(routes.usage, { app }, undefined, '?by=process&periods=1');
    await call(routes.cronSuspend, { app, job: 'j' });
    await call(routes.cronResume, { app, job: 'j' });
    await call(routes.cronSuspendAll, { app });
    await call(routes.cronResumeAll, { app });
    await call(routes.cronRun, { app, job: 'long' }, { force: false });
    await call(routes.cronCancel, { app, job: 'long' });

    await call(routes.setConfig, { app }, { values: { LOG_LEVEL: 'debug' }, restart: false });
    await call(routes.listConfig, { app });
    await call(routes.unsetConfig, { app }, { names: ['LOG_LEVEL'], restart: false });
    await call(routes.setSecrets, { app }, { values: { API_KEY: 's3cret-value' }, restart: false });
    await call(routes.listSecrets, { app });
    await call(routes.removeSecrets, { app }, { names: ['API_KEY'], restart: false });
    await call(routes.rotateKey);
    await call(routes.redisInfo, { app });
    // A queue of the app's, made as the app makes it: its own Redis user, the SDK's `<app>:bull` prefix.
    const worker = (await sb.ps()).find((r) => r.process === 'w' && r.state === 'running');
    const mail = new Queue('mail', {
      connection: { url: procEnv(worker!.pid!)!.REDIS_URL! },
      prefix: `${app}:bull`,
    });
    await mail.add('m', { tenant: 'acme' });
    await call(routes.queues, { app });
    await call(routes.queuePause, { app, queue: 'mail' });
    await call(routes.queueResume, { app, queue: 'mail' });
    await call(routes.queueRetry, { app, queue: 'mail' }, { state: 'failed', limit: 1 });
    await call(routes.queueClean, { app, queue: 'mail' }, { state: 'completed', olderThanMs: 0 });
    await call(
      routes.queueCancel,
      { app, queue: 'mail' },
      { state: 'waiting', match: { path: 'data.tenant', value: 'acme' }, dryRun: true },
    );
    await mail.close();
    await call(routes.redisFlush, { app }, { confirm: app });
    await call(routes.redisRotate, { app });

    await call(routes.deploy, {}, { dir: sb.appDir });
    await call(routes.releases, { app });
    await call(routes.rollback, { app }, { release: 'v1' });
    await call(routes.destroyApp, { app });
    await call(routes.daemonStop);

    const missing = ROUTES.filter((r) => !called.has(r)).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });
});
