import { join } from 'node:path';

/** The files of a daemon's home (DESIGN §7): what the CLI and the daemon both need to find. */
export function homeLayout(home: string) {
  return {
    home,
    db: join(home, 'state.db'),
    lock: join(home, 'daemon.lock'),
    socket: join(home, 'daemon.sock'),
    token: join(home, 'api.token'),
    info: join(home, 'daemon.json'),
    log: join(home, 'daemon.log'),
    apps: join(home, 'apps'),
    masterKey: join(home, 'master.key'),
    /** The managed redis-server's config, ACL file, AOF and log (DESIGN §8). */
    redis: join(home, 'redis'),
    /** Rebuildable: V8's compile cache for the daemon's short-lived helpers. */
    cache: join(home, 'cache'),
  };
}
export type HomeLayout = ReturnType<typeof homeLayout>;

/** `NIGHTSHIFT_HOME`, else `~/.nightshift`. */
export function defaultHomeDir(env: Readonly<Record<string, string | undefined>>, userHome: string): string {
  return env.NIGHTSHIFT_HOME || join(userHome, '.nightshift');
}
