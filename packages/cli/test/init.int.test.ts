import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifest } from '@nightshift/manifest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// `nightshift init` through the built bin (build first), in temporary app folders.

const bin = fileURLToPath(new URL('../bin/nightshift.js', import.meta.url));

function nightshift(args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env } },
      (err, stdout, stderr) =>
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const ECOSYSTEM = `const path = require('node:path');
module.exports = {
  apps: [
    { name: 'api', script: './server.js', instances: 2, env: { PORT: 3000, NODE_ENV: 'production', TOKEN: process.env.TOKEN } },
    { name: 'Email Worker', script: path.join('workers', 'email.js'), args: ['--queue', 'emails'],
      instances: 3, max_memory_restart: '300M', kill_timeout: 5000 },
    { name: 'report', script: 'report.py', cron_restart: '0 2 * * *', autorestart: false },
  ],
};
`;

describe('nightshift init', () => {
  let root: string;
  let app: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ns-init-'));
    app = join(root, 'My_Shop');
    mkdirSync(app);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const manifest = () => readFileSync(join(app, '.paas', 'app.yaml'), 'utf8');
  /** The written file through the manifest package, as `deploy` would read it. */
  const spec = () => {
    const result = parseManifest(manifest(), { file: 'app.yaml', defaultName: 'x', now: new Date() });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.spec;
  };

  it('converts a Procfile: web, release as predeploy, the other types as workers; a comment on each field', async () => {
    writeFileSync(
      join(app, 'Procfile'),
      'web: node server.js\nworker: node worker.js --queue mail\n\n# x\nrelease: node migrate.js\n',
    );
    const run = await nightshift(['init'], app);
    expect(run.stderr).toContain('from Procfile');
    expect(run.code).toBe(0);
    const s = spec();
    expect(s.name).toBe('my-shop');
    expect(s.predeploy?.source).toBe('node migrate.js');
    expect(s.web?.port).toBe(5000);
    expect(s.workers.map((w) => [w.name, w.replicas])).toEqual([['worker', 1]]);
    for (const line of manifest()
      .split('\n')
      .filter((l) => /^\s*(-\s)?[a-z_]+:/.test(l))) {
      expect(line, 'every field has its comment').toContain(' # ');
    }
  });

  it('gives what docs/init.md shows for its Procfile', async () => {
    const doc = readFileSync(new URL('../../../docs/init.md', import.meta.url), 'utf8');
    const procfile = /```procfile\n([\s\S]*?)```/.exec(doc)?.[1];
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(procfile && yaml).toBeTruthy();
    app = join(root, 'shop');
    mkdirSync(app);
    writeFileSync(join(app, 'Procfile'), procfile!);
    expect((await nightshift(['init'], app)).code).toBe(0);
    expect(manifest()).toBe(yaml);
  });

  it('converts a PM2 ecosystem file loaded in a child node, without the operator’s environment', async () => {
    writeFileSync(join(app, 'ecosystem.config.js'), ECOSYSTEM);
    writeFileSync(join(app, 'Procfile'), 'web: node other.js\n');
    const run = await nightshift(['init'], app, { TOKEN: 'hunter2' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('from ecosystem.config.js');
    const s = spec();
    expect(s.web?.port).toBe(3000);
    expect(s.web?.env).toEqual({ NODE_ENV: 'production' });
    const email = s.workers.find((w) => w.name === 'Email-Worker')!;
    expect(email.replicas).toBe(3);
    expect(email.stopGraceMs).toBe(5_000);
    expect(email.resources.memory).toBe(300 * 1024 ** 2);
    expect(s.workers.map((w) => w.name)).toEqual(['Email-Worker', 'report']);
    expect(manifest()).toContain('start: node workers/email.js --queue emails');
    expect(manifest()).toContain('start: python3 report.py');
    expect(manifest()).toContain('cron');
    expect(manifest()).not.toContain('hunter2');
  });

  it('does not let the ecosystem file write files or start processes', async () => {
    writeFileSync(
      join(app, 'ecosystem.config.js'),
      `require('node:fs').writeFileSync(${JSON.stringify(join(root, 'pwned'))}, 'x');\nmodule.exports = { apps: [{ name: 'w', script: 'w.js' }] };\n`,
    );
    const run = await nightshift(['init', '--from', 'pm2'], app);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('NS_INIT_SOURCE_UNREADABLE');
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    expect(existsSync(join(app, '.paas', 'app.yaml'))).toBe(false);
  });

  it('reads package.json scripts: start is web, worker scripts are workers', async () => {
    const scripts = {
      start: 'node server.js',
      'worker:emails': 'tsx emails.ts',
      build: 'tsc',
      migrate: 'node m.js',
    };
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'x', scripts }));
    expect((await nightshift(['init'], app)).code).toBe(0);
    const s = spec();
    expect(s.web?.command.argv).toEqual(['npm', 'start']);
    expect(s.workers.map((w) => [w.name, w.command.argv])).toEqual([
      ['emails', ['npm', 'run', 'worker:emails']],
    ]);
    expect(s.predeploy?.source).toBe('npm run migrate');
  });

  it('refuses to overwrite a manifest without --force, and says so when there is nothing to convert', async () => {
    mkdirSync(join(app, '.paas'));
    writeFileSync(join(app, '.paas', 'app.yaml'), 'name: mine\n');
    writeFileSync(join(app, 'Procfile'), 'worker: node w.js\n');
    const refused = await nightshift(['init'], app);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('NS_INIT_MANIFEST_EXISTS');
    expect(manifest()).toBe('name: mine\n');
    expect((await nightshift(['init', '--force'], app)).code).toBe(0);
    expect(spec().workers[0]?.name).toBe('worker');

    const empty = join(root, 'empty');
    mkdirSync(empty);
    const none = await nightshift(['init'], empty);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('NS_INIT_NO_SOURCE');
  });
});
