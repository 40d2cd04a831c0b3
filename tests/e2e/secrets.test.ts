import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, procEnv, Sandbox, waitFor, type CliResult } from './helpers.js';

/** Runs the CLI with `input` on its stdin (a pipe, not a terminal). */
function cliIn(
  sb: Sandbox,
  args: string[],
  input: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: sb.appDir,
      env: { ...process.env, ...sb.daemonEnv, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** grep -r of a folder: the files holding `text`, binary ones included. */
function grepR(dir: string, text: string): string[] {
  try {
    return execFileSync('grep', ['-r', '-l', '-a', '-F', '--', text, dir], { encoding: 'utf8' })
      .trim()
      .split('\n');
  } catch (err) {
    if ((err as { status?: number }).status === 1) return [];
    throw err;
  }
}

/** Command lines of every live process (what `ps` shows) that hold `text`. */
function cmdlinesWith(text: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(text)) out.push(`${name}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const parseLines = <T>(text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

/** The only replica of `process` once it runs, and the value of `name` in its environment. */
async function replicaEnv(
  sb: Sandbox,
  replica: string,
  name: string,
): Promise<{ pid: number; value: string | undefined }> {
  const pid = await waitFor(() => sb.replicaLeaders().get(replica)?.[0] ?? 0, 15_000, `${replica} running`);
  return { pid, value: procEnv(pid)?.[name] };
}

const PRINTER = `secrets: [DATABASE_URL]
predeploy: sh -c 'echo "predeploy sees $DATABASE_URL"'
workers:
  - name: printer
    start: sh -c 'while :; do echo "url=$DATABASE_URL"; echo "{\\"msg\\":\\"db\\",\\"url\\":\\"$DATABASE_URL\\"}"; sleep 0.2; done'
    stop_grace: 1s
cron:
  - name: dumper
    schedule: "0 3 * * *"
    command: sh -c 'echo "cron run sees $DATABASE_URL"'
`;

describe('secrets end to end', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('a worker printing its DATABASE_URL: logs, --json, the build and cron run logs, events and ps show [secret:DATABASE_URL]; the home holds no value', async () => {
    sb = new Sandbox('sec');
    const value = `postgres://shop:e2e-${Math.random().toString(36).slice(2, 12)}@db.internal/shop`;
    sb.writeApp(PRINTER);
    const set = await cliIn(sb, ['secrets', 'set', 'DATABASE_URL'], `${value}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain('started the daemon');
    expect(set.stderr).not.toContain('shell history');
    await sb.cliOk(['up']);

    // The process really has the value (from stdin, less the trailing newline)…
    expect((await replicaEnv(sb, 'printer.1', 'DATABASE_URL')).value).toBe(value);
    // …and every way out of the daemon shows the name instead.
    await waitFor(
      async () => (await sb.cliOk(['logs', '-n', '20'])).stdout.includes('url=[secret:DATABASE_URL]'),
      10_000,
      'a redacted line',
    );
    const json = parseLines<{ message: string; fields?: Record<string, unknown> }>(
      (await sb.cliOk(['logs', '--json', '-n', '50'])).stdout,
    );
    expect(json.some((l) => l.message === 'url=[secret:DATABASE_URL]')).toBe(true);
    expect(json.some((l) => l.fields?.url === '[secret:DATABASE_URL]')).toBe(true);
    const buildLog = readFileSync(join(sb.home, 'apps', sb.app, 'releases', 'v1.build.log'), 'utf8');
    expect(buildLog).toContain('predeploy sees [secret:DATABASE_URL]');
    // A cron run gets the secret too; its run log (stored, and streamed by --wait) shows the name.
    const cronRun = await sb.cliOk(['cron', 'run', 'dumper', '--wait']);
    expect(cronRun.stdout).toContain('cron run sees [secret:DATABASE_URL]');
    const [last] = JSON.parse((await sb.cliOk(['cron', 'history', 'dumper', '--json'])).stdout) as {
      id: number;
    }[];
    const runLog = (await sb.cliOk(['cron', 'logs', String(last!.id)])).stdout;
    expect(runLog).toContain('cron run sees [secret:DATABASE_URL]');
    const outputs = [
      JSON.stringify(json),
      (await sb.cliOk(['events', '--json', '-n', '100'])).stdout,
      (await sb.cliOk(['secrets', 'ls', '--json'])).stdout,
      (await sb.cliOk(['ps', '--json'])).stdout,
      buildLog,
      cronRun.stdout,
      runLog,
    ];
    for (const text of outputs) expect(text).not.toContain(value);
    const listed = JSON.parse(outputs[2]!) as { name: string; digest: string; status: string }[];
    expect(listed).toEqual([
      expect.objectContaining({
        name: 'DATABASE_URL',
        digest: expect.stringMatching(/^[0-9a-f]{16}$/),
        status: 'deployed',
      }),
    ]);
    expect(cmdlinesWith(value)).toEqual([]);

    // `run` (the local admin on the socket) is the one way a value reaches a process outside replicas.
    const run = await sb.cliOk(['run', '--', 'sh', '-c', 'printf %s "$DATABASE_URL"']);
    expect(run.stdout).toBe(value);

    expect(grepR(sb.home, value)).toEqual([]);
    expect(grepR(sb.home, '[secret:DATABASE_URL]').length).toBeGreaterThan(0);
    expect(statSync(join(sb.home, 'master.key')).mode & 0o777).toBe(0o600);
    expect(statSync(sb.home).mode & 0o777).toBe(0o700);
    await sb.cliOk(['daemon', 'stop']);
    expect(grepR(sb.home, value)).toEqual([]);
  });

  it('a missing secret fails the deploy naming each; set restarts with the new value; --no-restart keeps the old one until restart', async () => {
    sb = new Sandbox('sec');
    sb.writeApp(`secrets: [DATABASE_URL, SMTP_PASS]
workers:
  - name: printer
    start: sleep 1000
    stop_grace: 1s
`);
    const failed = await sb.cli(['up']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('NS_DEPLOY_SECRETS_MISSING');
    expect(failed.stderr).toContain('DATABASE_URL, SMTP_PASS');
    expect(sb.userPids()).toEqual([]);

    const pair = await sb.cli(['secrets', 'set', 'SMTP_PASS=smtp-pass-one']);
    expect(pair.code).toBe(0);
    expect(pair.stderr).toContain('shell history');
    const second = await sb.cli(['up']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/does not have: DATABASE_URL\n/);
    await cliIn(sb, ['secrets', 'set', 'DATABASE_URL'], 'postgres://first-value');
    await sb.cliOk(['up']);
    const first = await replicaEnv(sb, 'printer.1', 'DATABASE_URL');
    expect(first.value).toBe('postgres://first-value');

    // set: a rolling restart, the new process has the new value.
    const restarted = await cliIn(sb, ['secrets', 'set', 'DATABASE_URL'], 'postgres://second-value');
    expect(restarted.stderr).toContain('restarted one replica at a time');
    const second2 = await replicaEnv(sb, 'printer.1', 'DATABASE_URL');
    expect(second2.pid).not.toBe(first.pid);
    expect(second2.value).toBe('postgres://second-value');

    // --no-restart: same process, old value, status staged.
    const staged = await cliIn(
      sb,
      ['secrets', 'set', 'DATABASE_URL', '--no-restart', '--json'],
      'postgres://third-value',
    );
    expect(JSON.parse(staged.stdout)).toMatchObject({ names: ['DATABASE_URL'], restart: 'staged' });
    const still = await replicaEnv(sb, 'printer.1', 'DATABASE_URL');
    expect(still).toEqual(second2);
    const ls = JSON.parse((await sb.cliOk(['secrets', 'ls', '--json'])).stdout) as {
      name: string;
      status: string;
    }[];
    expect(ls.find((s) => s.name === 'DATABASE_URL')?.status).toBe('staged');

    await sb.cliOk(['restart']);
    const after = await replicaEnv(sb, 'printer.1', 'DATABASE_URL');
    expect(after.pid).not.toBe(second2.pid);
    expect(after.value).toBe('postgres://third-value');
    const ls2 = JSON.parse((await sb.cliOk(['secrets', 'ls', '--json'])).stdout) as {
      name: string;
      status: string;
    }[];
    expect(ls2.find((s) => s.name === 'DATABASE_URL')?.status).toBe('deployed');

    // rm of a listed secret needs --force; the events name what changed, never values.
    const rm = await sb.cli(['secrets', 'rm', 'DATABASE_URL']);
    expect([rm.code, rm.stderr.includes('NS_SECRET_IN_USE')]).toEqual([1, true]);
    const events = (await sb.cliOk(['events', '--json'])).stdout;
    expect(events).toContain('secrets:changed');
    for (const v of ['first-value', 'second-value', 'third-value', 'smtp-pass-one'])
      expect(events).not.toContain(v);
  });

  it('a rollback to a release that lists a secret removed since fails like a deploy', async () => {
    sb = new Sandbox('sec');
    const worker = 'workers:\n  - name: w\n    start: sleep 1000\n    stop_grace: 1s\n';
    sb.writeApp(`secrets: [OLD_TOKEN]\n${worker}`);
    await sb.cliOk(['secrets', 'set', 'OLD_TOKEN=old-token-value']);
    await sb.cliOk(['up']);
    sb.writeApp(worker);
    await sb.cliOk(['up']);
    await sb.cliOk(['secrets', 'rm', 'OLD_TOKEN']); // v2 does not list it: no --force needed
    const rollback = await sb.cli(['rollback']);
    expect(rollback.code).toBe(1);
    expect(rollback.stderr).toContain('NS_DEPLOY_SECRETS_MISSING');
    expect(rollback.stderr).toContain('OLD_TOKEN');
    const releases = JSON.parse((await sb.cliOk(['releases', '--json'])).stdout) as {
      version: string;
      live: boolean;
    }[];
    expect(releases.find((r) => r.live)?.version).toBe('v2');
  });

  it('the master key: 0600, a loose mode refuses the start, rotate-key re-encrypts and the old key is refused; tampering fails loudly', async () => {
    sb = new Sandbox('sec');
    sb.writeApp(`secrets: [API_TOKEN]
workers:
  - name: printer
    start: sleep 1000
    stop_grace: 1s
`);
    await cliIn(sb, ['secrets', 'set', 'API_TOKEN'], 'api-token-value-42');
    await sb.cliOk(['up']);
    const keyFile = join(sb.home, 'master.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const oldKey = readFileSync(keyFile, 'utf8').trim();

    const rotated = JSON.parse((await sb.cliOk(['secrets', 'rotate-key', '--json'])).stdout) as {
      previous: string;
      fingerprint: string;
      secrets: number;
    };
    expect(rotated.secrets).toBe(1);
    expect(rotated.fingerprint).not.toBe(rotated.previous);
    expect(readFileSync(keyFile, 'utf8').trim()).not.toBe(oldKey);
    await sb.cliOk(['restart']);
    expect((await replicaEnv(sb, 'printer.1', 'API_TOKEN')).value).toBe('api-token-value-42');
    await sb.cliOk(['daemon', 'stop']);

    // The old key no longer opens the store.
    const withOld = await startAndWait(sb, { NIGHTSHIFT_MASTER_KEY: oldKey });
    expect(withOld.code).toBe(1);
    expect(withOld.log).toContain('NS_SECRETS_KEY_MISMATCH');

    // A key file others can read: the daemon refuses to start.
    chmodSync(keyFile, 0o644);
    const loose = await startAndWait(sb);
    expect(loose.code).toBe(1);
    expect(loose.log).toContain('NS_SECRETS_KEY_UNSAFE');
    chmodSync(keyFile, 0o600);

    // A ciphertext changed on disk: the replica cannot start, loudly, and deploys refuse.
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(join(sb.home, 'state.db'));
    db.prepare("UPDATE secrets SET ciphertext = zeroblob(length(ciphertext)) WHERE name = 'API_TOKEN'").run();
    db.close();
    // `up` starts the daemon, which keeps the app down (an event says why), and the deploy refuses too.
    const deploy = await sb.cli(['up']);
    expect(deploy.code).toBe(1);
    expect(deploy.stderr).toContain('NS_SECRET_DECRYPT_FAILED');
    const events = JSON.parse((await sb.cliOk(['events', '--json'])).stdout) as {
      type: string;
      message: string;
    }[];
    expect(events.find((e) => e.type === 'secrets:unreadable')?.message).toMatch(
      /not started: secret API_TOKEN of .* fails authentication/,
    );
    expect(sb.userPids()).toEqual([]);
    // Setting the value again repairs it.
    await cliIn(sb, ['secrets', 'set', 'API_TOKEN'], 'api-token-value-43');
    await sb.cliOk(['up']);
    expect((await replicaEnv(sb, 'printer.1', 'API_TOKEN')).value).toBe('api-token-value-43');
  });

  it('a daemon that never stores a secret keeps no master key; the first secret creates it, the next start checks it', async () => {
    sb = new Sandbox('sec');
    sb.writeApp(`workers:\n  - name: idle\n    start: sleep 1000\n    stop_grace: 1s\n`);
    await sb.cliOk(['up']);
    const keyFile = join(sb.home, 'master.key');
    expect(existsSync(keyFile)).toBe(false);
    expect((await cliIn(sb, ['secrets', 'set', 'API_TOKEN'], 'api-token-value-42')).code).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await sb.cliOk(['daemon', 'stop']);
    // Now there is a key to check, so the start checks it, and `up` says why the daemon it started refused.
    chmodSync(keyFile, 0o644);
    const refused = await sb.cli(['up']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('NS_DAEMON_START_FAILED');
    expect(refused.stderr).toContain('NS_SECRETS_KEY_UNSAFE');
    chmodSync(keyFile, 0o600);
    await sb.cliOk(['up']);
    expect((await sb.cliOk(['secrets', 'ls'])).stdout).toContain('API_TOKEN');
  });

  it('secrets set on a terminal prompts without echoing the value', async () => {
    sb = new Sandbox('sec');
    sb.writeApp('workers: [{ name: w, start: sleep 1000 }]\n');
    const value = 'typed-on-a-tty-31337';
    const command = [process.execPath, BIN, 'secrets', 'set', 'TYPED_SECRET', '--app', sb.app]
      .map((a) => `'${a}'`)
      .join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: sb.appDir,
      env: { ...process.env, ...sb.daemonEnv },
    });
    let screen = '';
    child.stdout.on('data', (c: Buffer) => (screen += c.toString()));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    await waitFor(() => screen.includes('(input hidden)'), 15_000, 'the prompt');
    child.stdin.write(`${value}\r`);
    expect(await exited).toBe(0);
    expect(screen).toContain('set TYPED_SECRET');
    expect(screen).not.toContain(value);
    const listed = JSON.parse((await sb.cliOk(['secrets', 'ls', '--json'])).stdout) as { name: string }[];
    expect(listed.map((s) => s.name)).toEqual(['TYPED_SECRET']);
  });
});

/** Starts `nightshift daemon` in the foreground and waits for it to exit or to answer; returns its exit and log. */
async function startAndWait(
  sb: Sandbox,
  env: Record<string, string> = {},
): Promise<{ code: number | null; log: string }> {
  sb.daemonLog = '';
  const child = sb.startDaemon(env);
  const code = await new Promise<number | null>((resolve) => {
    child.on('exit', (c) => resolve(c));
    const poll = setInterval(() => {
      if (sb.daemonLog.includes('listening')) {
        clearInterval(poll);
        resolve(null);
      }
    }, 50);
    child.on('exit', () => clearInterval(poll));
  });
  return { code, log: sb.daemonLog };
}
