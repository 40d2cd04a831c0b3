import { afterEach, describe, expect, it } from 'vitest';
import type { CronJobEntry, CronRunEntry, LogEntry } from '@nightshift/protocol';
import { createApi } from '../../src/api/app.js';
import type { ApiServices } from '../../src/api/services.js';
import { useInject } from '../api/inject.js';
import { specOf, TestClock, World } from './world.js';

/** The cron routes on a loopback port, over a real scheduler, database, log pipeline and processes. */
describe('cron API routes', () => {
  const serve = useInject();
  let w: World;
  afterEach(async () => {
    expect(await w.close()).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  async function api() {
    const clock = new TestClock(null);
    const scheduler = w.scheduler(clock);
    scheduler.activate(
      w.app,
      w.deploy(
        specOf(
          w.app,
          `  - { name: talk, schedule: "0 3 * * *", command: "sh -c 'echo one; sleep 0.3; echo two >&2; exit 4'" }`,
        ),
      ),
    );
    const services = {
      supervisor: { hasApp: (app: string) => app === w.app },
      scheduler,
      logs: w.logs,
      clock,
    } as unknown as ApiServices;
    const app = await serve(createApi(services));
    const call = async <T>(method: string, path: string, body?: unknown) => {
      const res = await app.request(`/api/v1${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      return { status: res.status, body: (await res.json()) as T };
    };
    return { app, call };
  }

  it('lists jobs, starts a run, follows its log until it ends, and shows it in the history', async () => {
    w = new World('routes');
    const { app, call } = await api();
    const jobs = await call<CronJobEntry[]>('GET', `/apps/${w.app}/cron`);
    expect(jobs.status).toBe(200);
    expect(jobs.body).toEqual([
      expect.objectContaining({
        name: 'talk',
        schedule: '0 3 * * *',
        overlap: 'forbid',
        suspended: false,
        lastRun: null,
        running: 0,
        timeoutMs: null,
      }),
    ]);
    expect(jobs.body[0]!.nextSlot).toMatch(/T03:00:00\.000Z$/);

    const started = await call<CronRunEntry>('POST', `/apps/${w.app}/cron/jobs/talk/run`, {});
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ job: 'talk', trigger: 'manual', status: 'running', slot: null });
    const again = await call<{ error: { code: string; hint: string } }>(
      'POST',
      `/apps/${w.app}/cron/jobs/talk/run`,
      {},
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NS_CRON_OVERLAP');

    const res = await app.request(`/api/v1/apps/${w.app}/cron/runs/${started.body.id}/logs/stream`);
    const events = parseSse(await res.text());
    expect(
      events.filter((e) => e.event === 'line').map((e) => (JSON.parse(e.data) as LogEntry).message),
    ).toEqual(['one', 'two']);
    const end = events.at(-1)!;
    expect(end.event).toBe('end');
    expect(JSON.parse(end.data)).toMatchObject({ id: started.body.id, status: 'failed', exitCode: 4 });

    const history = await call<CronRunEntry[]>('GET', `/apps/${w.app}/cron/jobs/talk/history?n=5`);
    expect(history.body.map((r) => [r.id, r.status, r.exitCode])).toEqual([[started.body.id, 'failed', 4]]);
    const lines = await call<LogEntry[]>('GET', `/apps/${w.app}/cron/runs/${started.body.id}/logs`);
    expect(lines.body.map((l) => [l.stream, l.message, l.source])).toEqual([
      ['out', 'one', `cron:talk#${started.body.id}`],
      ['err', 'two', `cron:talk#${started.body.id}`],
    ]);
    const stored = await app.request(`/api/v1/apps/${w.app}/cron/runs/${started.body.id}/logs/stream`);
    expect(parseSse(await stored.text()).map((e) => e.event)).toEqual(['line', 'line', 'end']);
  });

  it('answers with catalogued errors: unknown job, unknown run, unknown app, bad body', async () => {
    w = new World('errors');
    const { call } = await api();
    const job = await call<{ error: { code: string; hint: string } }>(
      'POST',
      `/apps/${w.app}/cron/jobs/nope/run`,
      {},
    );
    expect([job.status, job.body.error.code, job.body.error.hint]).toEqual([
      404,
      'NS_CRON_JOB_NOT_FOUND',
      'its cron jobs are: talk (`nightshift cron ls`)',
    ]);
    expect(
      (await call<{ error: { code: string } }>('GET', `/apps/${w.app}/cron/runs/999/logs`)).body.error.code,
    ).toBe('NS_CRON_RUN_NOT_FOUND');
    expect((await call<{ error: { code: string } }>('GET', `/apps/${w.app}/cron/runs/abc`)).status).toBe(404);
    expect((await call<{ error: { code: string } }>('GET', '/apps/other/cron')).body.error.code).toBe(
      'NS_APP_NOT_FOUND',
    );
    expect(
      (await call<{ error: { code: string } }>('POST', `/apps/${w.app}/cron/jobs/talk/run`, { force: 'yes' }))
        .status,
    ).toBe(400);
    const suspended = await call<CronJobEntry>('POST', `/apps/${w.app}/cron/jobs/talk/suspend`);
    expect(suspended.body.suspended).toBe(true);
  });
});

function parseSse(text: string): { event: string; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const ev = { event: 'message', data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) ev.event = line.slice(6).trim();
        else if (line.startsWith('data:')) ev.data += line.slice(5).trim();
      }
      return ev;
    });
}
