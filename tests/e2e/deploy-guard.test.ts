import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, waitFor } from './helpers.js';

// Shell one-liners: what is timed is the daemon's guard, not an interpreter's start.
const GOOD = `sh -c 'echo ready; exec sleep 600'`;
const BAD = `sh -c 'echo "cannot reach the database" >&2; exit 1'`;

/** A web-less app with one worker; `deploy:` and the worker's start vary per release. */
function manifest(start: string, deploy: string, extra = ''): string {
  return `deploy: { ${deploy} }
workers:
  - name: worker
    start: ${start}
    replicas: 2
    min_ready: 0s
    restart: { backoff: 200ms, max_backoff: 1s }
${extra}`;
}

interface Release {
  version: string;
  live: boolean;
  outcome: string;
  guard: { state: string; until: string | null; reason: string | null } | null;
}

interface Event {
  type: string;
  time: string;
  data: Record<string, unknown>;
}

async function releases(sb: Sandbox): Promise<Release[]> {
  return JSON.parse((await sb.cliOk(['releases', '--json', '--app', sb.app])).stdout) as Release[];
}

async function events(sb: Sandbox): Promise<Event[]> {
  return JSON.parse((await sb.cliOk(['events', '--json', '-n', '500', '--app', sb.app])).stdout) as Event[];
}

const release = (list: Release[], v: string) => list.find((r) => r.version === v)!;

describe('deploy guard (real daemon, real processes)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('rolls back a deploy whose worker exits 1 at start, within the window; deploy --wait exits 1 with why', async () => {
    sb = new Sandbox('guard');
    sb.writeApp(manifest(GOOD, 'watch: 30s'));
    await sb.cliOk(['up']);
    sb.writeApp(manifest(BAD, 'watch: 30s'));
    const t0 = Date.now();
    const res = await sb.cli(['deploy', '--wait']);
    const took = Date.now() - t0;

    expect(res.code).toBe(1);
    expect(res.stderr).toContain('the deploy guard watches v2 for 30s');
    expect(res.stderr).toContain('error NS_DEPLOY_ROLLED_BACK');
    expect(res.stderr).toMatch(
      /rolled v2 of \S+ back: worker\.[12] crashed 3 times \(exit 1, exit 1, exit 1\); v1 is live/,
    );
    // Three crashes at a 200 ms backoff doubling to 1 s take about 2 s, far inside the 30 s window.
    expect(took).toBeLessThan(30_000);

    const ps = await waitFor(
      async () => {
        const list = await sb.ps();
        return list.length === 2 && list.every((r) => r.release === 'v1' && r.state === 'running')
          ? list
          : null;
      },
      15_000,
      'both replicas back on v1',
    );
    expect(ps.map((r) => r.replica).sort()).toEqual(['worker.1', 'worker.2']);

    const list = await releases(sb);
    expect(release(list, 'v2')).toMatchObject({
      live: false,
      outcome: 'rolled back by guard',
      guard: { state: 'rolled-back' },
    });
    expect(release(list, 'v2').guard!.reason).toMatch(/^worker\.[12] crashed 3 times/);
    expect(release(list, 'v1')).toMatchObject({ live: true, outcome: 'live' });
    const table = (await sb.cliOk(['releases', '--app', sb.app])).stdout;
    expect(table).toMatch(/v2\s+\S+\s+rolled back by guard\s+rolled back: worker\.[12] crashed 3 times/);

    const rolled = (await events(sb)).find((e) => e.type === 'deploy:rolled-back')!;
    expect(rolled.data).toMatchObject({ release: 'v2', restored: 'v1' });
    const evidence = rolled.data.evidence as {
      subject: string;
      exits: { code: number }[];
      lastLines: string[];
    };
    expect(evidence.subject).toMatch(/^worker\.[12]$/);
    expect(evidence.exits.map((e) => e.code)).toEqual([1, 1, 1]);
    expect(evidence.lastLines.join('\n')).toContain('cannot reach the database');

    // The rolled-back release is no rollback target: a plain rollback from v1 has nowhere to go.
    const back = await sb.cli(['rollback', '--app', sb.app]);
    expect(back.code).toBe(1);
    expect(back.stderr).toContain('NS_NO_RELEASE');
  });

  it('rolls back a release whose replica its health probe restarts twice', async () => {
    sb = new Sandbox('guardprobe');
    const port = await freePort();
    const probed = (start: string) => `deploy: { watch: 30s }
workers:
  - name: api
    start: ${start}
    min_ready: 0s
    health: { port: ${port}, interval: 200ms, timeout: 150ms, failures: 2, start_period: 0s }
    restart: { backoff: 200ms }
    stop_grace: 1s
`;
    const serve = `require('node:net').createServer((s) => s.end()).listen(Number(process.env.HEALTH_PORT), '127.0.0.1');`;
    sb.writeApp(probed('node serve.js'), { 'serve.js': serve });
    await sb.cliOk(['up']);
    // v2 runs but never listens: each probe is refused, and the probe restarts it.
    sb.writeApp(probed('sleep 600'), { 'serve.js': serve });
    const res = await sb.cli(['deploy', '--wait']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'api.1 was restarted by its health probe 2 times (connection refused; connection refused); v1 is live',
    );
    await waitFor(
      async () => {
        const ps = await sb.ps();
        return ps.length === 1 && ps[0]!.release === 'v1' && ps[0]!.health === 'healthy' ? ps : null;
      },
      15_000,
      'v1 healthy again',
    );
    const rolled = (await events(sb)).find((e) => e.type === 'deploy:rolled-back')!;
    expect(rolled.data.evidence).toMatchObject({ subject: 'api.1', exits: [] });
    expect((rolled.data.evidence as { probeErrors: unknown[] }).probeErrors).toHaveLength(2);
  });

  it('with no earlier good release, a tripped first deploy stays live and deploy --wait says why', async () => {
    sb = new Sandbox('guardfirst');
    // v1 crashes too: with nothing before it, it stays live, and a release that failed the guard is no
    // rollback target for v2 either.
    sb.writeApp(manifest(BAD, 'watch: 30s'));
    await sb.cliOk(['up']);
    await waitFor(
      async () => release(await releases(sb), 'v1').guard?.state === 'failed',
      15_000,
      'v1 failed',
    );
    expect(release(await releases(sb), 'v1')).toMatchObject({ live: true, outcome: 'live' });
    const res = await sb.cli(['deploy', '--wait']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /v2 of \S+ failed the deploy guard: worker\.[12] crashed 3 times .*there is no earlier good release to go back to/,
    );
    const list = await releases(sb);
    expect(release(list, 'v2')).toMatchObject({ live: true, outcome: 'live', guard: { state: 'failed' } });
    expect(release(list, 'v1')).toMatchObject({ outcome: 'failed guard', guard: { state: 'failed' } });
    expect((await events(sb)).some((e) => e.type === 'deploy:guard-failed' && e.data.release === 'v2')).toBe(
      true,
    );
  });

  it('keeps a deploy whose workers stay up; deploy --wait waits out the window and exits 0', async () => {
    sb = new Sandbox('guardok');
    sb.writeApp(manifest(GOOD, 'watch: 3s'));
    await sb.cliOk(['up']);
    sb.writeApp(manifest(`sh -c 'echo v2 ready; exec sleep 600'`, 'watch: 3s'));
    const t0 = Date.now();
    const res = await sb.cli(['deploy', '--wait']);
    expect(res.code, res.stderr).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3_000);
    expect(res.stderr).toContain('v2 passed the deploy guard and stays live');
    const list = await releases(sb);
    expect(release(list, 'v2')).toMatchObject({ live: true, outcome: 'live', guard: { state: 'kept' } });
    expect(release(list, 'v1')).toMatchObject({ outcome: 'good', guard: { state: 'superseded' } });
    expect((await sb.ps()).every((r) => r.release === 'v2' && r.state === 'running')).toBe(true);
    expect((await events(sb)).some((e) => e.type === 'deploy:kept' && e.data.release === 'v2')).toBe(true);
  });

  it('says the guard is watching (and for how long) without --wait; a crash loop after the window is not its business', async () => {
    sb = new Sandbox('guardnw');
    sb.writeApp(manifest(GOOD, 'watch: 1s'));
    const up = await sb.cliOk(['up']);
    expect(up.stderr).toContain('the deploy guard watches v1 for 1s');
    sb.writeApp(manifest(GOOD, 'watch: 0s'));
    const off = await sb.cliOk(['deploy']);
    expect(off.stderr).toContain('the deploy guard is off for v2 (deploy.watch: 0)');
    sb.writeApp(manifest(`sh -c 'sleep 2; exit 1'`, 'watch: 1s'));
    const res = await sb.cliOk(['deploy']);
    expect(res.stderr).toMatch(
      /the deploy guard watches v3 for 1s \(until \d\d:\d\d:\d\d UTC\).*`deploy --wait` waits for the verdict/,
    );
    // The first crash comes after 2 s, when the 1 s window has passed: v3 is kept and keeps crashing.
    await waitFor(async () => release(await releases(sb), 'v3').guard?.state === 'kept', 10_000, 'v3 kept');
    await waitFor(
      async () => (await sb.ps()).some((r) => r.restarts >= 1),
      15_000,
      'a crash after the window',
    );
    expect(release(await releases(sb), 'v3').live).toBe(true);
  });

  it('ignores failing cron runs unless deploy.guard_cron', async () => {
    sb = new Sandbox('guardcron');
    const cron = `cron:
  - name: broken
    schedule: '@daily'
    command: sh -c 'exit 4'
`;
    sb.writeApp(manifest(GOOD, 'watch: 30s'));
    await sb.cliOk(['up']);
    sb.writeApp(manifest(GOOD, 'watch: 30s', cron));
    await sb.cliOk(['deploy']);
    await sb.cli(['cron', 'run', 'broken', '--wait', '--app', sb.app]);
    expect(release(await releases(sb), 'v2').guard?.state).toBe('watching');

    sb.writeApp(manifest(GOOD, 'watch: 30s, guard_cron: true', cron));
    await sb.cliOk(['deploy']);
    await sb.cli(['cron', 'run', 'broken', '--wait', '--app', sb.app]);
    const v3 = await waitFor(
      async () => {
        const r = release(await releases(sb), 'v3');
        return r.guard?.state === 'rolled-back' ? r : null;
      },
      15_000,
      'v3 rolled back for its cron run',
    );
    expect(v3.guard!.reason).toMatch(/^cron broken run \d+ failed \(exit 4\) and deploy.guard_cron is on$/);
    expect(release(await releases(sb), 'v2').live).toBe(true);
  });

  it('a window cut by kill -9 of the daemon is resumed by the next daemon with what was seen before', async () => {
    sb = new Sandbox('guard9');
    sb.writeApp(manifest(GOOD, 'watch: 60s'));
    await sb.cliOk(['up']);
    // 1.5 s backoff: the first crash comes at once, the next ones only after the kill below.
    sb.writeApp(
      manifest(BAD, 'watch: 60s').replace(
        'restart: { backoff: 200ms, max_backoff: 1s }',
        'restart: { backoff: 1500ms, max_backoff: 3s }',
      ),
    );
    await sb.cliOk(['deploy']);
    await waitFor(
      async () => (await events(sb)).some((e) => e.type === 'replica:crashed' && e.data.release === 'v2'),
      10_000,
      'a first crash of v2',
    );
    const killedAt = Date.now();
    const daemonPid = sb.daemonPid()!;
    process.kill(daemonPid, 'SIGKILL');
    await waitFor(() => !existsSync(`/proc/${daemonPid}/stat`), 5_000, 'daemon gone');
    expect(release(await releasesFromStore(sb), 'v2').guard?.state).toBe('watching');

    sb.startDaemon();
    const v2 = await waitFor(
      async () => {
        try {
          const r = release(await releases(sb), 'v2');
          return r.guard?.state === 'rolled-back' ? r : null;
        } catch {
          return null;
        }
      },
      30_000,
      'the next daemon rolls v2 back',
    );
    expect(v2.outcome).toBe('rolled back by guard');
    const rolled = (await events(sb)).find((e) => e.type === 'deploy:rolled-back')!;
    const exits = (rolled.data.evidence as { exits: { at: string }[] }).exits;
    // The evidence spans both daemons: crashes seen before the kill were stored and counted after it.
    expect(Date.parse(exits[0]!.at)).toBeLessThan(killedAt);
    expect(Date.parse(exits.at(-1)!.at)).toBeGreaterThan(killedAt);
    await waitFor(
      async () => (await sb.ps()).every((r) => r.release === 'v1' && r.state === 'running'),
      15_000,
      'v1 running',
    );
  });

  it('a window that ended while no daemon ran is decided by the next one', async () => {
    sb = new Sandbox('guard9ok');
    sb.writeApp(manifest(GOOD, 'watch: 2s'));
    await sb.cliOk(['up']);
    sb.writeApp(manifest(`sh -c 'echo v2; exec sleep 600'`, 'watch: 2s'));
    await sb.cliOk(['deploy']);
    const daemonPid = sb.daemonPid()!;
    process.kill(daemonPid, 'SIGKILL');
    await waitFor(() => !existsSync(`/proc/${daemonPid}/stat`), 5_000, 'daemon gone');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    sb.startDaemon();
    await waitFor(
      async () => {
        try {
          return release(await releases(sb), 'v2').guard?.state === 'kept';
        } catch {
          return false;
        }
      },
      15_000,
      'v2 kept by the next daemon',
    );
    expect(release(await releases(sb), 'v2').live).toBe(true);
  });
});

/** While no daemon runs (between a kill and the next start) the stored watch is read from the database itself. */
async function releasesFromStore(sb: Sandbox): Promise<Release[]> {
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(`${sb.home}/state.db`, { readOnly: true });
  try {
    const rows = db
      .prepare('SELECT version, guard, guard_reason FROM releases WHERE app = ? ORDER BY version DESC')
      .all(sb.app) as { version: number; guard: string | null; guard_reason: string | null }[];
    return rows.map((r) => ({
      version: `v${r.version}`,
      live: false,
      outcome: '',
      guard: r.guard === null ? null : { state: r.guard, until: null, reason: r.guard_reason },
    }));
  } finally {
    db.close();
  }
}

/** A TCP port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
