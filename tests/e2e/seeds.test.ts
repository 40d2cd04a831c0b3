import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, scanProc, waitFor } from './helpers.js';

// The two manifests the seeds publish, verbatim: no `name`, cron names with '_', `redis: true`.
const INDEXER = `redis: true
workers:
  - name: indexer
    start: python -m app.search.reindex_worker
    replicas: 1
cron:
  - name: stale_cleanup
    schedule: "0 3 * * *"
    command: python -m app.jobs.delete_old_postings
`;
const HOURLY = `cron:
  - name: nightly
    schedule: "0 2 * * *"
    command: python -m app.jobs.nightly
  - name: hourly_sync
    schedule: "0 * * * *"
    command: python -m app.tasks.sync_upstream
`;

const PY_WORKER = 'import time, sys\nprint("indexer ready", flush=True)\nwhile True:\n    time.sleep(1)\n';
const pyJob = (what: string) => `print("${what} done")\n`;

/** An app folder named like a user's (capitals, '_'), holding the manifest exactly as published. */
function seedApp(sb: Sandbox, folder: string, manifest: string, files: Record<string, string>): string {
  const dir = join(sb.root, folder);
  for (const [name, text] of Object.entries({ '.paas/app.yaml': manifest, ...files })) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("the seeds' own manifests (real processes)", () => {
  let sb: Sandbox;
  let apps: string[] = [];
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
    expect(scanProc((env) => apps.includes(env.NIGHTSHIFT_APP ?? ''))).toEqual([]);
    apps = [];
  });

  it('deploy unchanged: names derived from the folder, cron jobs with "_" run, redis: true gets its Redis', async () => {
    sb = new Sandbox('seeds');
    const suffix = sb.app.slice(-6);
    const one = seedApp(sb, `Job_Board_${suffix}`, INDEXER, {
      'app/__init__.py': '',
      'app/search/__init__.py': '',
      'app/search/reindex_worker.py': PY_WORKER,
      'app/jobs/__init__.py': '',
      'app/jobs/delete_old_postings.py': pyJob('cleanup'),
    });
    const name = `job-board-${suffix}`;
    apps.push(name);
    const up = await sb.cliOk(['up'], { cwd: one });
    expect(up.stderr).toContain(`${name} v1 is live`);
    expect(up.stderr).not.toContain('warning');
    await waitFor(
      async () =>
        (await sb.cliOk(['logs', 'indexer', '-n', '5'], { cwd: one })).stdout.includes('indexer ready'),
      20_000,
      'the indexer',
    );
    expect((await sb.cliOk(['cron', 'run', 'stale_cleanup', '--wait'], { cwd: one })).stdout).toContain(
      'cleanup done',
    );

    const two = seedApp(sb, `Upstream.Sync_${suffix}`, HOURLY, {
      'app/__init__.py': '',
      'app/jobs/__init__.py': '',
      'app/jobs/nightly.py': pyJob('nightly'),
      'app/tasks/__init__.py': '',
      'app/tasks/sync_upstream.py': pyJob('sync'),
    });
    apps.push(`upstream-sync-${suffix}`);
    await sb.cliOk(['up'], { cwd: two });
    expect((await sb.cliOk(['cron', 'ls'], { cwd: two })).stdout).toContain('hourly_sync');
    expect((await sb.cliOk(['cron', 'run', 'hourly_sync', '--wait'], { cwd: two })).stdout).toContain(
      'sync done',
    );
  });

  it('a worker named with "_" scales, and its replicas\' logs are kept and shown', async () => {
    sb = new Sandbox('under');
    sb.writeApp(
      `workers:\n  - name: my_worker\n    start: sh -c 'echo "hello from $NIGHTSHIFT_REPLICA"; exec sleep 10000'\n    stop_grace: 2s\n`,
    );
    await sb.cliOk(['up']);
    await sb.cliOk(['scale', 'my_worker=2']);
    await waitFor(
      async () => (await sb.ps()).filter((r) => r.state === 'running').length === 2,
      15_000,
      '2 running',
    );
    const logs = await waitFor(
      async () => {
        const out = (await sb.cliOk(['logs', 'my_worker', '--json'])).stdout;
        return out.includes('hello from my_worker.2') ? out : null;
      },
      15_000,
      "the second replica's line",
    );
    const replicas = logs
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { replica: string | null }).replica);
    expect(replicas.sort()).toEqual(['my_worker.1', 'my_worker.2']);
  });
});
