/**
 * `nightshift doctor`'s judgements, from facts gathered elsewhere (facts.ts): no I/O here, so each threshold and
 * message is tested on its own. `fail` is something wrong (exit 1), `warn` something to know, `unknown` a fact
 * that could not be read.
 */
export type Status = 'ok' | 'warn' | 'fail' | 'unknown';

export interface CheckResult {
  readonly check: string;
  readonly status: Status;
  readonly detail: string;
  /** What to do about a warn or a fail. */
  readonly fix: string | null;
}

const result = (check: string, status: Status, detail: string, fix: string | null = null): CheckResult => ({
  check,
  status,
  detail,
  fix,
});

export function nodeCheck(version: string): CheckResult {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    return result(
      'node',
      'fail',
      `Node ${version}: Nightshift needs 22.12 or newer`,
      'install Node 24 LTS (e.g. `nvm install 24`)',
    );
  }
  if (major < 24) return result('node', 'ok', `Node ${version} (24 LTS recommended)`);
  return result('node', 'ok', `Node ${version}`);
}

export type DaemonState =
  | { readonly kind: 'up'; readonly pid: number; readonly version: string }
  | { readonly kind: 'down' }
  | { readonly kind: 'unreachable'; readonly error: string };

export function daemonCheck(s: DaemonState, socket: string): CheckResult {
  if (s.kind === 'up') return result('daemon', 'ok', `running, pid ${s.pid}, version ${s.version}`);
  // Not running is a state, not a fault: `up` starts it.
  if (s.kind === 'down')
    return result(
      'daemon',
      'warn',
      `not running (no answer on ${socket})`,
      '`nightshift up` in an app folder, or run it under systemd (docs/operating.md)',
    );
  return result(
    'daemon',
    'fail',
    `${socket} does not answer: ${s.error}`,
    'see the daemon log in its home; `nightshift daemon stop`, then start it again',
  );
}

export interface HomeFacts {
  readonly path: string;
  /** null: not created yet. */
  readonly stat: { readonly mode: number; readonly uid: number } | null;
  readonly masterKey: { readonly mode: number } | null;
  readonly uid: number;
}

export function homeCheck(h: HomeFacts): CheckResult {
  if (h.stat === null)
    return result('home', 'ok', `${h.path} not created yet (the daemon makes it, mode 0700)`);
  const mode = (h.stat.mode & 0o777).toString(8).padStart(4, '0');
  if (h.stat.uid !== h.uid) {
    return result(
      'home',
      'fail',
      `${h.path} belongs to uid ${h.stat.uid}, not you (uid ${h.uid})`,
      `sudo chown -R ${h.uid} ${h.path}`,
    );
  }
  if ((h.stat.mode & 0o077) !== 0) {
    return result(
      'home',
      'fail',
      `${h.path} is mode ${mode}: others can reach the API socket, secrets and state`,
      `chmod 700 ${h.path}`,
    );
  }
  if (h.masterKey && (h.masterKey.mode & 0o077) !== 0) {
    return result(
      'home',
      'fail',
      `${h.path}/master.key is readable by others`,
      `chmod 600 ${h.path}/master.key`,
    );
  }
  return result('home', 'ok', `${h.path}, mode ${mode}`);
}

export type RedisFacts =
  | { readonly mode: 'external'; readonly version: string; readonly policy: string }
  | { readonly mode: 'external'; readonly error: string }
  | { readonly mode: 'managed'; readonly version: string | null };

/** Redis 6.2 is the oldest with channel rules in ACLs (`&pattern`), which keep apps out of each other's messages. */
function tooOld(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < 6 || (major === 6 && minor < 2);
}

export function redisCheck(r: RedisFacts): CheckResult {
  if (r.mode === 'managed') {
    if (r.version === null) {
      return result(
        'redis',
        'warn',
        'no redis-server on PATH: apps with `redis: true` cannot deploy',
        'install it (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`), or set NIGHTSHIFT_REDIS_ADMIN_URL',
      );
    }
    if (tooOld(r.version))
      return result(
        'redis',
        'fail',
        `redis-server ${r.version} is older than 6.2`,
        'install Redis 6.2 or newer',
      );
    return result(
      'redis',
      'ok',
      `managed redis-server ${r.version} (the daemon sets maxmemory-policy noeviction)`,
    );
  }
  if ('error' in r) {
    return result(
      'redis',
      'fail',
      `NIGHTSHIFT_REDIS_ADMIN_URL does not answer: ${r.error}`,
      'check that this Redis runs and the URL has the admin password',
    );
  }
  if (tooOld(r.version))
    return result('redis', 'fail', `Redis ${r.version} is older than 6.2`, 'upgrade to Redis 6.2 or newer');
  if (r.policy !== 'noeviction') {
    return result(
      'redis',
      'fail',
      `Redis ${r.version} with maxmemory-policy ${r.policy}: queued jobs can be evicted`,
      'CONFIG SET maxmemory-policy noeviction (and in its config file)',
    );
  }
  return result('redis', 'ok', `external Redis ${r.version}, maxmemory-policy noeviction`);
}

export type CgroupFacts =
  | { readonly kind: 'v2' | 'v1'; readonly from: 'daemon' | 'this shell' }
  | { readonly kind: 'none'; readonly reason: string; readonly from: 'daemon' | 'this shell' };

export function cgroupsCheck(c: CgroupFacts): CheckResult {
  if (c.kind !== 'none')
    return result(
      'cgroups',
      'ok',
      `cgroup ${c.kind}: memory and CPU limits are hard (kernel), seen by ${c.from}`,
    );
  return result(
    'cgroups',
    'warn',
    `limits are soft (a watchdog restarts a replica over its memory; CPU unlimited): ${c.reason} (seen by ${c.from})`,
    'run the daemon under systemd with Delegate=yes (`nightshift daemon --systemd-unit`), or on a host with cgroup v2',
  );
}

const GIB = 1024 ** 3;

export function diskCheck(path: string, free: number, total: number): CheckResult {
  const detail = `${(free / GIB).toFixed(1)} GiB free of ${(total / GIB).toFixed(1)} GiB at ${path}`;
  // Releases, logs (10 GiB cap by default) and state live there: below 512 MiB a deploy or a log write fails.
  if (free < 512 * 1024 ** 2)
    return result('disk', 'fail', detail, 'free space there, or lower NIGHTSHIFT_LOGS_TOTAL');
  if (free < 2 * GIB || free < total * 0.05)
    return result('disk', 'warn', detail, 'free space there: releases and logs grow');
  return result('disk', 'ok', detail);
}

export type ClockFacts = {
  readonly tool: 'timedatectl' | 'chronyc' | 'adjtimex';
  readonly synced: boolean;
  readonly detail: string;
} | null;

export function clockCheck(c: ClockFacts): CheckResult {
  if (c === null) {
    return result(
      'clock',
      'unknown',
      'no timedatectl, chronyc or adjtimex answered: sync unknown',
      'make sure NTP runs (cron is UTC and by the clock)',
    );
  }
  if (c.synced) return result('clock', 'ok', `synchronised (${c.tool}: ${c.detail})`);
  return result(
    'clock',
    'fail',
    `not synchronised (${c.tool}: ${c.detail}): cron fires by this clock`,
    'enable NTP: `sudo timedatectl set-ntp true` (or start chronyd)',
  );
}

/** `timedatectl show` → NTPSynchronized=yes|no; null when the property is missing. */
export function parseTimedatectl(text: string): boolean | null {
  const m = /^NTPSynchronized=(yes|no)$/m.exec(text);
  return m ? m[1] === 'yes' : null;
}

/** `chronyc tracking` → its leap status line; Normal means synchronised. */
export function parseChrony(text: string): { synced: boolean; leap: string } | null {
  const m = /^Leap status\s*:\s*(.+)$/m.exec(text);
  return m ? { synced: m[1]!.trim() === 'Normal', leap: m[1]!.trim() } : null;
}

/** `adjtimex --print` → the kernel's status word; bit 0x40 (STA_UNSYNC) set means not synchronised. */
export function parseAdjtimex(text: string): { synced: boolean; status: number } | null {
  const m = /^\s*status:\s*(\d+)\s*$/m.exec(text);
  if (!m) return null;
  const status = Number(m[1]);
  return { synced: (status & 0x40) === 0, status };
}

/** `redis-server --version` → `7.0.15`; `INFO server` → its redis_version. */
export function parseRedisVersion(text: string): string | null {
  return /(?:v=|redis_version:)(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1] ?? null;
}

export function exitStatus(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
