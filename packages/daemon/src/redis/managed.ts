import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { nodeCrypto } from '../runtime/builtins.js';
import { type AdminConnection, openAdmin } from './admin.js';
import { APP_USER_PREFIX } from './rule.js';

/** The managed server's administrator: the only user besides the apps' (`default` is disabled). */
export const MANAGED_ADMIN_USER = 'nightshift-admin';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

/** `redis-server` on this PATH, or null. */
export function findRedisServer(path: string | undefined): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export interface ManagedOptions {
  /** `<home>/redis`: config, ACL file, AOF, log, pid and the admin password (0600). */
  readonly dir: string;
  readonly binary: string;
  readonly maxmemory: number;
}

/**
 * The daemon's own redis-server: loopback only, one database, `noeviction`, ACLs and AOF in its home. Its admin
 * password is in `<dir>/admin.password` (0600) and its hash in the ACL file; neither reaches the command line,
 * which `ps` shows. Identity: one per daemon; `stop` ends the server.
 */
export class ManagedRedis {
  readonly url: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #stopping = false;

  private constructor(url: string, child: ChildProcess) {
    this.url = url;
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Starts the server and returns once its admin user answers; the admin connection is handed back too. */
  static async start(opts: ManagedOptions): Promise<{ server: ManagedRedis; admin: AdminConnection }> {
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
    await stopStale(join(opts.dir, 'redis.pid'));
    const password = adminPassword(opts.dir);
    writeAclFile(join(opts.dir, 'users.acl'), password);
    const port = await pickPort(join(opts.dir, 'port'));
    const conf = join(opts.dir, 'redis.conf');
    writeFileSync(conf, configText(opts, port), { mode: 0o600 });
    // Its own process group (a terminal's Ctrl-C reaches the daemon, which stops it in order) and none of the
    // daemon's environment (NIGHTSHIFT_MASTER_KEY, the admin URL).
    const child = spawn(opts.binary, [conf], {
      stdio: 'ignore',
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
    });
    const server = new ManagedRedis(`redis://${MANAGED_ADMIN_USER}:${password}@127.0.0.1:${port}/0`, child);
    const spawnFailed = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`redis-server exited (${signal ?? `code ${code}`}) while starting`)),
      );
    });
    try {
      const admin = await Promise.race([waitReady(server.url), spawnFailed]);
      return { server, admin };
    } catch (err) {
      await server.stop();
      throw new NightshiftError(
        ErrorCodes.redisUnavailable,
        `the managed redis-server did not start: ${(err as Error).message}${logTail(opts.dir)}`,
        "read redis.log in the daemon home's redis folder; or set NIGHTSHIFT_REDIS_ADMIN_URL to a Redis of your own",
        { cause: err },
      );
    }
  }

  /** Called when the server exits on its own (a crash, a kill). */
  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.#child.once('exit', (code, signal) => {
      if (!this.#stopping) listener(code, signal);
    });
  }

  get pid(): number | null {
    return this.#child.pid ?? null;
  }

  /** SIGTERM (Redis writes its AOF and exits), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.#exited;
    clearTimeout(timer);
  }
}

function adminPassword(dir: string): string {
  const file = join(dir, 'admin.password');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(stored)) return stored;
  }
  const password = nodeCrypto().randomBytes(32).toString('hex');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * The ACL file the server loads: `default` off, the admin by its password's hash, and the app users the last run
 * saved (they are re-applied from the database anyway once the daemon connects).
 */
function writeAclFile(file: string, password: string): void {
  const apps = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith(`user ${APP_USER_PREFIX}`))
    : [];
  const hash = nodeCrypto().createHash('sha256').update(password).digest('hex');
  const lines = [
    'user default off resetkeys resetchannels -@all',
    `user ${MANAGED_ADMIN_USER} on #${hash} ~* &* +@all`,
    ...apps,
  ];
  writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
}

function configText(opts: ManagedOptions, port: number): string {
  const q = (path: string) => JSON.stringify(path);
  return [
    'bind 127.0.0.1',
    'protected-mode yes',
    `port ${port}`,
    `dir ${q(opts.dir)}`,
    `pidfile ${q(join(opts.dir, 'redis.pid'))}`,
    `logfile ${q(join(opts.dir, 'redis.log'))}`,
    'daemonize no',
    // One database: SELECT/MOVE cannot put an app's keys where destroy's purge would not look.
    'databases 1',
    `maxmemory ${opts.maxmemory}`,
    // Queued jobs must never be evicted silently: a full Redis refuses writes instead.
    'maxmemory-policy noeviction',
    'appendonly yes',
    'appendfsync everysec',
    'save ""',
    `aclfile ${q(join(opts.dir, 'users.acl'))}`,
    'enable-debug-command no',
    'enable-module-command no',
    '',
  ].join('\n');
}

/** The port used last time when it is still free (apps keep their REDIS_URL), else any free one. */
async function pickPort(file: string): Promise<number> {
  const previous = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
  let port = previous > 0 ? await tryListen(previous) : 0;
  if (port === 0) port = await tryListen(0);
  writeFileSync(file, `${port}\n`, { mode: 0o600 });
  return port;
}

function tryListen(port: number): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(0));
    server.listen(port, '127.0.0.1', () => {
      const got = (server.address() as { port: number }).port;
      server.close(() => resolve(got));
    });
  });
}

/** A server a killed daemon left running would hold the files and the port: it is stopped first. */
async function stopStale(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1) return;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes('redis-server')) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < STOP_TIMEOUT_MS; waited += 50) {
    if (!existsSync(`/proc/${pid}`)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(pid, 'SIGKILL');
}

async function waitReady(url: string): Promise<AdminConnection> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      return await openAdmin(url, 1000);
    } catch (err) {
      if (performance.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function logTail(dir: string): string {
  try {
    const lines = readFileSync(join(dir, 'redis.log'), 'utf8').trimEnd().split('\n').slice(-5);
    return `\n--- redis.log ---\n${lines.join('\n')}`;
  } catch {
    return '';
  }
}
