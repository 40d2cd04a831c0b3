import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import {
  defaultHomeDir,
  ErrorCodes,
  homeLayout,
  NightshiftError,
  type HomeLayout,
} from '@nightshift/protocol';

/** Files of the daemon's home (DESIGN §7); the layout is shared with the CLI through the protocol. */
export const homePaths = homeLayout;
export type HomePaths = HomeLayout;

export function defaultHome(env: NodeJS.ProcessEnv): string {
  return defaultHomeDir(env, homedir());
}

/** Creates the home (0700) or tightens it; refuses a home owned by someone else. */
export function ensureHome(home: string): HomePaths {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const info = statSync(home);
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new NightshiftError(
      ErrorCodes.homeUnsafe,
      `${home} belongs to another user`,
      'use a NIGHTSHIFT_HOME of your own',
    );
  }
  if ((info.mode & 0o077) !== 0) chmodSync(home, 0o700);
  const paths = homePaths(home);
  mkdirSync(paths.apps, { recursive: true, mode: 0o700 });
  return paths;
}

/**
 * One daemon per home: an exclusive SQLite lock on `daemon.lock`, held for the daemon's life. The kernel
 * drops it when the process dies, even by `kill -9`, so there is no stale lock to clean.
 *
 * Two daemons that start at the same moment can both be refused: each takes SQLite's shared lock on the way
 * to the exclusive one, and each then finds the other's in its way (with one attempt each, both were refused
 * in 39 of 40 simultaneous starts: test/home/lock.int.test.ts). So a refusal is retried after a random pause,
 * for `patienceMs`: the pair breaks its tie, while a daemon that really runs keeps its lock and the newcomer
 * is refused when the time is up. The caller must keep the returned object: the lock lives with it.
 */
export async function acquireLock(
  paths: HomePaths,
  patienceMs = LOCK_PATIENCE_MS,
): Promise<{ release: () => void }> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const db = new DatabaseSync(paths.lock, { timeout: 0 });
    try {
      db.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;');
      return {
        release: () => {
          try {
            db.exec('ROLLBACK');
          } finally {
            db.close();
          }
        },
      };
    } catch {
      db.close();
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
  }
  let pid = '?';
  try {
    pid = String((JSON.parse(readFileSync(paths.info, 'utf8')) as { pid: number }).pid);
  } catch {
    // info not written yet: the other daemon is starting
  }
  throw new NightshiftError(
    ErrorCodes.daemonAlreadyRunning,
    `a daemon already runs for ${paths.home} (pid ${pid})`,
    'use it (`nightshift ps`), or stop it first with `nightshift daemon stop`',
  );
}

const LOCK_PATIENCE_MS = 1_000;

/** The API token (0600), created on first start. */
export function ensureToken(paths: HomePaths): string {
  if (!existsSync(paths.token))
    writeFileSync(paths.token, kernelRandom(32).toString('base64url') + '\n', { mode: 0o600 });
  chmodSync(paths.token, 0o600);
  return readFileSync(paths.token, 'utf8').trim();
}

/**
 * Bytes from the kernel's CSPRNG, read directly: node:crypto costs the daemon memory for its whole life, and
 * it is loaded only once a secret is stored (see runtime/builtins.ts).
 */
export function kernelRandom(n: number): Buffer {
  const buf = Buffer.alloc(n);
  const fd = openSync('/dev/urandom', 'r');
  try {
    for (let off = 0; off < n;) off += readSync(fd, buf, off, n - off, null);
  } finally {
    closeSync(fd);
  }
  return buf;
}
