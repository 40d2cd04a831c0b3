import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { specOf, World } from './world.js';

const DIST = new URL('../../dist/', import.meta.url);
const FIXTURE = new URL('./fixtures/race-instance.mjs', import.meta.url);
const MIN = 60_000;

function instance(config: Record<string, unknown>): Promise<{ claimed: string[]; errors: string[] }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [FIXTURE.pathname, JSON.stringify(config)],
      { timeout: 90_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as { claimed: string[]; errors: string[] });
      },
    );
  });
}

describe('two scheduler instances on one database file', () => {
  let w: World;
  afterEach(async () => {
    expect(await w.close()).toEqual([]);
  });

  it('racing for 200 slots: every slot claimed by exactly one instance, each run executed once', async () => {
    if (!existsSync(new URL('scheduler/index.js', DIST)))
      throw new Error('build the daemon first: npx tsc -b packages/daemon');
    w = new World('race');
    const marks = join(w.dir, 'marks.txt');
    // Each run appends the slot it stands for: a slot run twice would show up twice.
    const spec = specOf(
      w.app,
      `  - { name: tick, schedule: "* * * * *", overlap: allow, history: { keep: 1000 }, command: "sh -c 'echo $NIGHTSHIFT_SCHEDULED_AT >> ${marks}'" }`,
    );
    // 600× real time: a minute slot every 100 ms; 200 slots in 20 s. Both clocks are the same function of real time.
    const base = Date.parse('2026-01-01T00:00:30Z');
    const realStart = Date.now() + 1_500;
    const until = base + 200 * MIN + 10_000;
    const common = {
      dist: DIST.href,
      dbFile: join(w.dir, 'state.db'),
      app: w.app,
      releaseDir: w.releaseDir,
      spec,
      base,
      realStart,
      speed: 600,
      until,
    };
    mkdirSync(join(w.dir, 'a'));
    mkdirSync(join(w.dir, 'b'));
    const [a, b] = await Promise.all([
      instance({ ...common, appsDir: join(w.dir, 'a') }),
      instance({ ...common, appsDir: join(w.dir, 'b') }),
    ]);
    expect([...a.errors, ...b.errors]).toEqual([]);

    // No slot was claimed by both instances, and both really competed.
    const both = a.claimed.filter((s) => b.claimed.includes(s));
    expect(both).toEqual([]);
    expect(a.claimed.length).toBeGreaterThan(10);
    expect(b.claimed.length).toBeGreaterThan(10);

    // The run table agrees: one row per slot, and the slots before each row (coalesced) account for every
    // slot from the job's creation to the last row: none lost, none counted twice.
    const rows = w.db
      .prepare('SELECT slot, coalesced FROM cron_runs WHERE app = ? ORDER BY slot')
      .all(w.app) as { slot: number; coalesced: number }[];
    const created = (
      w.db.prepare('SELECT created_at FROM cron_jobs WHERE app = ?').get(w.app) as { created_at: number }
    ).created_at;
    expect(new Set(rows.map((r) => r.slot)).size).toBe(rows.length);
    expect(a.claimed.length + b.claimed.length).toBe(rows.length);
    const last = rows.at(-1)!.slot;
    const slotsInWindow = Math.floor(last / MIN) - Math.floor(created / MIN);
    expect(rows.reduce((n, r) => n + 1 + r.coalesced, 0)).toBe(slotsInWindow);
    expect(slotsInWindow).toBeGreaterThanOrEqual(200);

    // Every process that ran stood for a different slot.
    const marked = readFileSync(marks, 'utf8').trim().split('\n');
    expect(new Set(marked).size).toBe(marked.length);
    expect(marked.length).toBeGreaterThanOrEqual(rows.length - 5); // the last few may be interrupted by the stop
  }, 120_000);
});
