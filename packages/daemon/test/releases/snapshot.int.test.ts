import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stageSource } from '../../src/releases/stage.js';

/** What a release folder holds: relative paths, sorted. */
function tree(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) visit(join(dir, e.name));
      else out.push(relative(root, join(dir, e.name)));
    }
  };
  visit(root);
  return out.sort();
}

describe('release snapshots (real git, real files)', () => {
  let root: string;
  let app: string;
  let n = 0;
  const dest = () => join(root, `release-${++n}`);
  const put = (rel: string, text: string) => {
    mkdirSync(dirname(join(app, rel)), { recursive: true });
    writeFileSync(join(app, rel), text);
  };
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: app,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    }).trim();

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ns-snapshot-'));
    app = join(root, 'app');
    mkdirSync(app);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('in a git checkout: tracked files plus untracked ones git does not ignore, as they are in the folder', async () => {
    git('init', '-q');
    put('.gitignore', '*.log\nnode_modules/\n');
    put('src/worker.js', 'v1');
    put('run.sh', '#!/bin/sh\n');
    chmodSync(join(app, 'run.sh'), 0o755);
    put('gone.txt', 'tracked, then deleted');
    git('add', '.');
    git('commit', '-qm', 'first');
    rmSync(join(app, 'gone.txt'));
    put('src/worker.js', 'v2 (not committed)');
    put('src/new.js', 'untracked, not ignored');
    put('debug.log', 'ignored');
    put('node_modules/dep/index.js', 'ignored');

    const out = dest();
    const source = await stageSource(app, out, undefined);
    expect(tree(out)).toEqual(['.gitignore', 'run.sh', 'src/new.js', 'src/worker.js']);
    expect(readFileSync(join(out, 'src/worker.js'), 'utf8')).toBe('v2 (not committed)');
    expect(statSync(join(out, 'run.sh')).mode & 0o777).toBe(0o755);
    expect(source).toBe(`${app} (git ${git('rev-parse', '--short', 'HEAD')})`);
  });

  it('outside git: the whole folder but node_modules and .git, nested folders included', async () => {
    put('index.js', 'main');
    put('lib/deep/util.js', 'util');
    put('.env.example', 'A=1');
    put('node_modules/dep/index.js', 'dep');
    put('lib/node_modules/x.js', 'nested node_modules too');
    put('.git/HEAD', 'not a repository');

    const out = dest();
    const source = await stageSource(app, out, undefined);
    expect(tree(out)).toEqual(['.env.example', 'index.js', 'lib/deep/util.js']);
    expect(source).toBe(app);
  });

  it('with --ref: exactly that commit, whatever the folder holds now; an unknown ref is a clear error', async () => {
    git('init', '-q');
    put('worker.js', 'v1');
    git('add', '.');
    git('commit', '-qm', 'one');
    const first = git('rev-parse', 'HEAD');
    put('worker.js', 'v2');
    put('extra.js', 'added later');
    git('add', '.');
    git('commit', '-qm', 'two');
    put('worker.js', 'v3 (working tree)');

    const out = dest();
    const source = await stageSource(app, out, first);
    expect(tree(out)).toEqual(['worker.js']);
    expect(readFileSync(join(out, 'worker.js'), 'utf8')).toBe('v1');
    expect(source).toBe(`${app} @ ${first} (${first.slice(0, 12)})`);

    const err = await stageSource(app, dest(), 'no-such-branch').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NS_SNAPSHOT_FAILED' });
    expect((err as Error).message).toContain('"no-such-branch" is not a commit');
  });
});
