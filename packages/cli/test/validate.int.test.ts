import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built bin (build first: `npx tsc -b packages/cli`) as a user would, in a temporary app folder.

const bin = fileURLToPath(new URL('../bin/nightshift.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../../manifest/test/fixtures/', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function nightshift(args: string[], cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

let root: string;
let shop: string;

function writeManifest(text: string, dir = shop): void {
  mkdirSync(join(dir, '.paas'), { recursive: true });
  writeFileSync(join(dir, '.paas', 'app.yaml'), text);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nightshift-validate-'));
  shop = join(root, 'shop');
  mkdirSync(shop);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('nightshift validate', () => {
  it('accepts the .paas/app.yaml shape of existing platforms, in the current folder, with a summary', async () => {
    writeManifest(readFileSync(join(fixtures, 'good/paas-shape.yaml'), 'utf8'));
    const run = await nightshift(['validate'], shop);
    expect(run).toEqual({ code: 0, stdout: 'shop: 2 workers (3 replicas), 1 cron job, redis\n', stderr: '' });
  });

  it('accepts the seeds’ own manifests verbatim (cron names stale_cleanup, hourly_sync)', async () => {
    writeManifest(readFileSync(join(fixtures, 'good/seed-indexer.yaml'), 'utf8'));
    expect(await nightshift(['validate'], shop)).toEqual({
      code: 0,
      stdout: 'shop: 1 worker (1 replica), 1 cron job, redis\n',
      stderr: '',
    });
    writeManifest(readFileSync(join(fixtures, 'good/seed-hourly.yaml'), 'utf8'));
    expect(await nightshift(['validate'], shop)).toEqual({
      code: 0,
      stdout: 'shop: 2 cron jobs\n',
      stderr: '',
    });
  });

  it('accepts the full example of DESIGN §2 given as a path', async () => {
    const run = await nightshift(['validate', join(fixtures, 'good/design-full.yaml')], root);
    expect(run).toEqual({
      code: 0,
      stdout: 'shop: web, 1 worker (2 replicas), 1 cron job, redis\n',
      stderr: '',
    });
  });

  it('prints every located error with its hint on stderr and exits 1', async () => {
    writeManifest(readFileSync(join(fixtures, 'bad/many-errors.yaml'), 'utf8'));
    const run = await nightshift(['validate'], shop);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('8 errors in .paas/app.yaml');
    const errors = lines.filter((l) => / error NS_/.test(l));
    expect(errors).toHaveLength(8);
    expect(errors[0]).toBe(
      '.paas/app.yaml:1:7 error NS_MANIFEST_INVALID_NAME name: app name "Shop" is not a valid name',
    );
    expect(errors).toContain(
      '.paas/app.yaml:16:5 error NS_MANIFEST_UNKNOWN_KEY unknown key "timout" in cron[0]',
    );
    for (const error of errors) expect(lines[lines.indexOf(error) + 1]).toMatch(/^ {2}hint: \S/);
    expect(lines).toContain('  hint: did you mean "timeout"?');
  });

  it('--json prints { ok, app, errors, warnings } with located errors', async () => {
    writeManifest('workers:\n  - name: emails\n    start: node w.js\n    replica: 2\n');
    const bad = await nightshift(['validate', '--json'], shop);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({
      ok: false,
      app: null,
      errors: [
        {
          code: 'NS_MANIFEST_UNKNOWN_KEY',
          message: 'unknown key "replica" in workers[0]',
          hint: 'did you mean "replicas"?',
          file: '.paas/app.yaml',
          line: 4,
          column: 5,
        },
      ],
      warnings: [],
      errorsOmitted: 0,
      warningsOmitted: 0,
    });

    writeManifest('cron:\n  - name: friday\n    schedule: "0 0 13 * 5"\n    command: ./f.sh\n');
    const good = await nightshift(['validate', '--json'], shop);
    expect(good.code).toBe(0);
    const body = JSON.parse(good.stdout) as {
      ok: boolean;
      app: string;
      errors: unknown[];
      warnings: { code: string }[];
    };
    expect(body).toMatchObject({ ok: true, app: 'shop', errors: [] });
    expect(body.warnings.map((w) => w.code)).toEqual(['NS_MANIFEST_CRON_DOM_DOW']);
  });

  it('shows warnings but still exits 0', async () => {
    writeManifest('cron:\n  - name: friday\n    schedule: "0 0 13 * 5"\n    command: ./f.sh\n');
    const run = await nightshift(['validate'], shop);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('shop: 1 cron job\n');
    expect(run.stderr).toMatch(/^\.paas\/app\.yaml:3:15 warning NS_MANIFEST_CRON_DOM_DOW /);
  });

  it('names the app after the folder holding .paas when the manifest has no name', async () => {
    const billing = join(root, 'billing');
    writeManifest('workers: [{ name: w, start: node w.js }]\n', billing);
    const run = await nightshift(['validate', join(billing, '.paas', 'app.yaml')], root);
    expect(run.stdout).toBe('billing: 1 worker (1 replica)\n');
  });

  it('makes a valid app name from a folder such as My_Shop or tmp.x1, and prints it', async () => {
    for (const [folder, name] of [
      ['My_Shop', 'my-shop'],
      ['tmp.x1', 'tmp-x1'],
    ] as const) {
      const dir = join(root, folder);
      writeManifest('workers: [{ name: w, start: node w.js }, { name: v, start: node v.js }]\n', dir);
      const run = await nightshift(['validate'], dir);
      expect(run).toEqual({ code: 0, stdout: `${name}: 2 workers (2 replicas)\n`, stderr: '' });
    }
  });

  it('asks for `name:` when the folder name has no letter to make one from', async () => {
    const dir = join(root, '2024');
    writeManifest('workers: [{ name: w, start: node w.js }]\n', dir);
    const run = await nightshift(['validate'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      '.paas/app.yaml:1:1 error NS_MANIFEST_MISSING_KEY the manifest has no `name`, and the folder name "2024" has no letter to start one with\n  hint: add `name: <app>` at the top level',
    );
  });

  it('exits 1 with a clear error when the file is missing or not a file', async () => {
    const missing = await nightshift(['validate', 'nope.yaml'], shop);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^error NS_MANIFEST_FILE_NOT_FOUND: no manifest at nope\.yaml\n {2}hint: /,
    );
    const folder = await nightshift(['validate', '.paas'], shop);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/^error NS_MANIFEST_FILE_UNREADABLE: /);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect((await nightshift(['validate'], empty)).stderr).toContain('no manifest at .paas/app.yaml');
  });

  it('refuses a manifest over 1 MiB by its size, with a located error naming the size and the limit', async () => {
    const big = join(root, 'big');
    writeManifest(`name: big\n# ${'x'.repeat(2 ** 20)}\n`, big);
    const run = await nightshift(['validate'], big);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').slice(0, 3)).toEqual([
      '.paas/app.yaml:1:1 error NS_MANIFEST_TOO_LARGE the manifest is 1,048,589 bytes, over the limit of 1 MiB (1,048,576 bytes)',
      expect.stringMatching(/^ {2}hint: a manifest describes processes, not data/) as string,
      '1 error in .paas/app.yaml',
    ]);
  });

  it('prints the first 100 errors, then one line for the rest, and counts them all', async () => {
    const many = join(root, 'many');
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`);
    writeManifest(['workers: [{ name: w, start: x }]', ...keys].join('\n') + '\n', many);
    const run = await nightshift(['validate'], many);
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => / error NS_MANIFEST_UNKNOWN_KEY /.test(l))).toHaveLength(100);
    expect(lines.at(-3)).toMatch(/^ {2}hint: /);
    expect(lines.slice(-2)).toEqual(['… and 19,900 more errors', '20000 errors in .paas/app.yaml']);
    const json = await nightshift(['validate', '--json'], many);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, errorsOmitted: 19_900, warningsOmitted: 0 });
  });

  it('exits 2 on usage errors', async () => {
    expect((await nightshift(['validate', '--bogus'], shop)).code).toBe(2);
    expect((await nightshift(['validate', 'a.yaml', 'b.yaml'], shop)).code).toBe(2);
  });

  it('--help explains the command and --version works', async () => {
    const help = await nightshift(['validate', '--help'], shop);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: nightshift validate [options] [file]');
    expect(help.stdout).toContain('--json');
    expect(help.stdout).toContain('Exit status: 0 valid');
    const version = await nightshift(['--version'], shop);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) as string });
  });

  it('gives exit 1 and a located error for every bad fixture (0 when it has only warnings)', async () => {
    const names = readdirSync(join(fixtures, 'bad')).filter((f) => f.endsWith('.yaml'));
    const dir = join(root, 'fixtures');
    cpSync(join(fixtures, 'bad'), dir, { recursive: true });
    const runs = await Promise.all(
      names.map(async (name) => ({ name, run: await nightshift(['validate', name], dir) })),
    );
    for (const { name, run } of runs) {
      const text = readFileSync(join(dir, name), 'utf8');
      const expected = [...text.matchAll(/^# expect: (\d+):(\d+) (NS_[A-Z_]+)$/gm)];
      const onlyWarnings = expected.every(
        (m) => m[3] === 'NS_MANIFEST_CRON_DOM_DOW' || m[3] === 'NS_MANIFEST_NOTHING_TO_RUN',
      );
      expect(run.code, name).toBe(onlyWarnings ? 0 : 1);
      for (const m of expected)
        expect(run.stderr, name).toMatch(
          new RegExp(`^${name}:${m[1]}:${m[2]} (error|warning) ${m[3]} `, 'm'),
        );
    }
  });
});
