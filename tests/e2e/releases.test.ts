import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, Sandbox, sleep, waitFor } from './helpers.js';

// Every process prints the release it runs from; web answers it over HTTP.
const WORKER = `
const say = () => console.log('release=' + process.env.NIGHTSHIFT_RELEASE + ' version=' + require('./version.json').v);
say();
const t = setInterval(say, 200);
process.on('SIGTERM', () => { clearInterval(t); process.exit(0); });
`;
const WEB = `
const http = require('node:http');
const server = http.createServer((req, res) => res.end(JSON.stringify({ release: process.env.NIGHTSHIFT_RELEASE, v: require('./version.json').v })));
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

function manifest(sb: Sandbox, port: number, extra = ''): string {
  return `build: { command: "sh -c 'echo build >> ${join(sb.root, 'builds.log')}'" }
predeploy: sh -c 'echo "$NIGHTSHIFT_RELEASE \${NIGHTSHIFT_PROCESS:-none} \${PORT:-noport}" >> ${join(sb.root, 'predeploy.log')}'
web: { start: node web.cjs, port: ${port} }
workers:
  - name: alpha
    start: node worker.cjs
    replicas: 1
    stop_grace: 2s
    min_ready: 300ms
  - name: beta
    start: node worker.cjs
    replicas: 2
    stop_grace: 2s
    min_ready: 300ms
cron:
  - name: reporter
    schedule: "0 0 1 1 *"
    command: node -e "console.log('cron release=' + process.env.NIGHTSHIFT_RELEASE + ' version=' + require('./version.json').v)"
${extra}`;
}

const freePort = () => 20000 + Math.floor(Math.random() * 20000);
const lines = (file: string) => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

async function releasesSeen(sb: Sandbox): Promise<Map<string, string>> {
  const out = JSON.parse(
    (await sb.cliOk(['logs', '--json', '-n', '200', '--stream', 'out'])).stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l)
      .join(',')
      .replace(/^/, '[')
      .replace(/$/, ']'),
  ) as { source: string; message: string }[];
  const latest = new Map<string, string>();
  for (const l of out) {
    const m = /release=(v\d+)/.exec(l.message);
    if (m) latest.set(l.source, m[1]!);
  }
  return latest;
}

describe('releases: deploy, rollback, predeploy, run', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('moves web and every worker to v2 together, and back to v1 on rollback without a rebuild', async () => {
    sb = new Sandbox('rel');
    const port = freePort();
    sb.writeApp(manifest(sb, port), { 'worker.cjs': WORKER, 'web.cjs': WEB, 'version.json': '{"v":1}' });
    await sb.cliOk(['up']);
    const web = async () => {
      try {
        return (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { release: string; v: number };
      } catch {
        return null;
      }
    };
    await waitFor(async () => (await web())?.release === 'v1', 10_000, 'web on v1');

    writeFileSync(join(sb.appDir, 'version.json'), '{"v":2}');
    const deployed = await sb.cliOk(['deploy']);
    expect(deployed.stderr).toContain('v2 is live');
    expect(await web()).toEqual({ release: 'v2', v: 2 });
    const ps = await sb.ps();
    expect(ps.map((r) => r.replica).sort()).toEqual(['alpha.1', 'beta.1', 'beta.2', 'web.1']);
    expect(ps.every((r) => r.release === 'v2' && r.state === 'running')).toBe(true);
    await waitFor(
      async () => {
        const seen = await releasesSeen(sb);
        return ['alpha.1', 'beta.1', 'beta.2'].every((r) => seen.get(r) === 'v2');
      },
      5_000,
      'workers printing v2',
    );

    // The cron job runs from the live release too.
    expect((await sb.cliOk(['cron', 'run', 'reporter', '--wait'])).stdout).toContain(
      'cron release=v2 version=2',
    );
    const releases = JSON.parse((await sb.cliOk(['releases', '--json'])).stdout) as {
      version: string;
      live: boolean;
    }[];
    expect(releases.map((r) => [r.version, r.live])).toEqual([
      ['v2', true],
      ['v1', false],
    ]);
    expect(lines(join(sb.root, 'builds.log'))).toHaveLength(2);

    await sb.cliOk(['rollback']);
    expect(await web()).toEqual({ release: 'v1', v: 1 });
    expect((await sb.ps()).every((r) => r.release === 'v1' && r.state === 'running')).toBe(true);
    expect(lines(join(sb.root, 'builds.log'))).toHaveLength(2); // no rebuild
    expect((await sb.cliOk(['cron', 'run', 'reporter', '--wait'])).stdout).toContain(
      'cron release=v1 version=1',
    );
    const after = JSON.parse((await sb.cliOk(['releases', '--json'])).stdout) as {
      version: string;
      live: boolean;
    }[];
    expect(after.find((r) => r.live)?.version).toBe('v1');
    const events = JSON.parse((await sb.cliOk(['events', '--json', '-n', '200'])).stdout) as {
      type: string;
    }[];
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['deploy:started', 'deploy:finished', 'rollback']),
    );

    // predeploy: once per release, before web starts, with the app's environment and no PORT; never by workers.
    expect(lines(join(sb.root, 'predeploy.log'))).toEqual(['v1 none noport', 'v2 none noport']);
  });

  it('a broken build or a failing predeploy leaves the live release running with the same pids', async () => {
    sb = new Sandbox('broken');
    const port = freePort();
    sb.writeApp(manifest(sb, port), { 'worker.cjs': WORKER, 'web.cjs': WEB, 'version.json': '{"v":1}' });
    await sb.cliOk(['up']);
    await waitFor(async () => (await sb.ps()).every((r) => r.state === 'running'), 10_000, 'running');
    const pids = (await sb.ps()).map((r) => r.pid).sort();

    const yaml = join(sb.appDir, '.paas', 'app.yaml');
    const good = readFileSync(yaml, 'utf8');
    writeFileSync(
      yaml,
      good.replace(/^build: .*$/m, `build: { command: "sh -c 'echo compiling; echo oops >&2; exit 2'" }`),
    );
    const broken = await sb.cli(['deploy']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('NS_BUILD_FAILED');
    expect(broken.stderr).toContain('oops');
    expect(broken.stderr).toContain('v1 stays live');

    writeFileSync(yaml, good.replace(/^predeploy: .*$/m, `predeploy: sh -c 'echo migrating; exit 3'`));
    const failing = await sb.cli(['deploy']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('predeploy');
    expect(failing.stderr).toContain('migrating');

    const ps = await sb.ps();
    expect(ps.map((r) => r.pid).sort()).toEqual(pids);
    expect(ps.every((r) => r.release === 'v1')).toBe(true);
    const releases = JSON.parse((await sb.cliOk(['releases', '--json'])).stdout) as {
      version: string;
      status: string;
      live: boolean;
    }[];
    expect(releases.map((r) => [r.version, r.status, r.live])).toEqual([
      ['v3', 'failed', false],
      ['v2', 'failed', false],
      ['v1', 'succeeded', true],
    ]);
  });

  it('run passes the exit code through and gives the app environment without PORT; run -- bash is a shell', async () => {
    sb = new Sandbox('run');
    sb.writeApp(
      `env: { FROM_APP: yes }\nweb: { start: node web.cjs, port: ${freePort()} }\nworkers:\n  - name: alpha\n    start: node worker.cjs\n    replicas: 1\n    stop_grace: 2s\n`,
      {
        'worker.cjs': WORKER,
        'web.cjs': WEB,
        'version.json': '{"v":1}',
      },
    );
    await sb.cliOk(['up']);
    const seven = await sb.cli(['run', '--', 'sh', '-c', 'exit 7']);
    expect(seven.code).toBe(7);
    const env = await sb.cliOk(['run', '--', 'env']);
    expect(env.stdout).toContain('FROM_APP=yes');
    expect(env.stdout).toContain(`NIGHTSHIFT_APP=${sb.app}`);
    expect(env.stdout).toContain('NIGHTSHIFT_RELEASE=v1');
    expect(env.stdout).not.toMatch(/^PORT=/m);
    expect(env.stdout).not.toContain('NIGHTSHIFT_HOME');
    const pwd = await sb.cliOk(['run', '--', 'pwd']);
    expect(pwd.stdout.trim()).toBe(join(sb.home, 'apps', sb.app, 'releases', 'v1'));

    // An interactive shell under tmux: type into it, read the screen back.
    const session = `ns-${sb.app}`;
    const cmd = `cd ${sb.appDir} && NIGHTSHIFT_HOME=${sb.home} ${process.execPath} ${BIN} run -- bash --norc -i`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '30', cmd]);
    try {
      await sleep(1500);
      execFileSync('tmux', [
        'send-keys',
        '-t',
        session,
        'echo "inside=$NIGHTSHIFT_APP/$NIGHTSHIFT_RELEASE"',
        'Enter',
      ]);
      const screen = await waitFor(
        () => {
          const text = execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
          return text.includes(`inside=${sb.app}/v1`) ? text : null;
        },
        10_000,
        'the shell to answer',
      );
      expect(screen).toContain(`inside=${sb.app}/v1`);
      execFileSync('tmux', ['send-keys', '-t', session, 'exit', 'Enter']);
      await waitFor(
        () => {
          try {
            execFileSync('tmux', ['has-session', '-t', session], { stdio: 'ignore' });
            return false;
          } catch {
            return true;
          }
        },
        10_000,
        'the shell to exit',
      );
    } finally {
      try {
        execFileSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    const events = JSON.parse((await sb.cliOk(['events', '--json', '-n', '100'])).stdout) as {
      type: string;
      data: { exitCode?: number };
    }[];
    expect(events.filter((e) => e.type === 'run:finished').map((e) => e.data.exitCode)).toContain(7);
  });

  it('deploys a Python app and a Node app with a lockfile from detection alone, and a git ref', async () => {
    sb = new Sandbox('detect');
    sb.writeApp(
      `workers:\n  - name: py\n    start: python -c "import sys, time; print('py', sys.prefix, flush=True); time.sleep(1000)"\n    replicas: 1\n    stop_grace: 1s\n`,
      {
        'requirements.txt': '',
        'app/__init__.py': '',
      },
    );
    await sb.cliOk(['up']);
    const release = join(sb.home, 'apps', sb.app, 'releases', 'v1');
    const logs = await waitFor(
      async () => {
        const out = (await sb.cliOk(['logs', '-n', '10'])).stdout;
        return out.includes('py ') ? out : null;
      },
      20_000,
      'the python worker',
    );
    expect(logs).toContain(join(release, '.venv')); // runs inside the release's venv

    const node = new Sandbox('detectnode');
    try {
      node.writeApp(
        `workers:\n  - name: js\n    start: node -e "console.log('env', process.env.NODE_ENV); setInterval(() => {}, 1000)"\n    replicas: 1\n    stop_grace: 1s\n`,
        {
          'package.json': JSON.stringify({
            name: 'detect-node',
            version: '1.0.0',
            scripts: { build: 'echo built > built.txt' },
          }),
          'package-lock.json': JSON.stringify({
            name: 'detect-node',
            version: '1.0.0',
            lockfileVersion: 3,
            requires: true,
            packages: { '': { name: 'detect-node', version: '1.0.0' } },
          }),
        },
      );
      execFileSync('git', ['init', '-q'], { cwd: node.appDir });
      execFileSync('git', ['add', '-A'], { cwd: node.appDir });
      execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'v1'], {
        cwd: node.appDir,
      });
      writeFileSync(join(node.appDir, 'uncommitted.txt'), 'not in the ref');
      const deployed = await node.cliOk(['up']);
      expect(deployed.stderr).toContain('npm ci'); // the streamed build log names its steps' output
      const nodeRelease = join(node.home, 'apps', node.app, 'releases', 'v1');
      expect(readFileSync(join(nodeRelease, 'built.txt'), 'utf8').trim()).toBe('built');
      await waitFor(
        async () => (await node.cliOk(['logs', '-n', '10'])).stdout.includes('env production'),
        10_000,
        'NODE_ENV=production',
      );
      await node.cliOk(['deploy', '--ref', 'HEAD']);
      const v2 = join(node.home, 'apps', node.app, 'releases', 'v2');
      expect(() => readFileSync(join(v2, 'uncommitted.txt'))).toThrow();
      expect(readFileSync(join(v2, 'built.txt'), 'utf8').trim()).toBe('built');
    } finally {
      expect(await node.cleanup()).toEqual([]);
    }
  });
});
