import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { api } from '@nightshift/protocol';
import type { CliContext } from '../lib/context.js';
import {
  parseAdjtimex,
  parseChrony,
  parseRedisVersion,
  parseTimedatectl,
  type CgroupFacts,
  type ClockFacts,
  type DaemonState,
  type HomeFacts,
  type RedisFacts,
} from './checks.js';
import { probeRedis } from './redis-probe.js';

/** A command's stdout, or null when it is missing, fails or takes over 3 s. */
function output(cmd: string, args: readonly string[]): Promise<string | null> {
  return new Promise((done) => {
    execFile(cmd, args, { timeout: 3_000, encoding: 'utf8' }, (err, stdout) => done(err ? null : stdout));
  });
}

export async function daemonFacts(
  ctx: CliContext,
): Promise<{ state: DaemonState; limits: CgroupFacts | null }> {
  try {
    const info = await ctx.client.call(api.daemonInfo, {});
    const l = info.limits;
    const limits: CgroupFacts =
      l.cgroups === null
        ? { kind: 'none', reason: l.reason ?? 'no cgroups', from: 'daemon' }
        : { kind: l.cgroups, from: 'daemon' };
    return { state: { kind: 'up', pid: info.pid, version: info.version }, limits };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'NS_DAEMON_NOT_RUNNING') return { state: { kind: 'down' }, limits: null };
    return { state: { kind: 'unreachable', error: (err as Error).message }, limits: null };
  }
}

export function homeFacts(path: string): HomeFacts {
  const uid = process.getuid?.() ?? 0;
  if (!existsSync(path)) return { path, stat: null, masterKey: null, uid };
  const s = statSync(path);
  const key = join(path, 'master.key');
  return {
    path,
    stat: { mode: s.mode, uid: s.uid },
    masterKey: existsSync(key) ? { mode: statSync(key).mode } : null,
    uid,
  };
}

export async function redisFacts(env: NodeJS.ProcessEnv): Promise<RedisFacts> {
  const url = env.NIGHTSHIFT_REDIS_ADMIN_URL?.trim();
  if (url) {
    try {
      return { mode: 'external', ...(await probeRedis(url)) };
    } catch (err) {
      return { mode: 'external', error: (err as Error).message };
    }
  }
  const text = await output('redis-server', ['--version']);
  return { mode: 'managed', version: text === null ? null : parseRedisVersion(text) };
}

/** Where the daemon would make cgroups, seen from this shell (the daemon's own view wins when it runs). */
export async function cgroupFacts(): Promise<CgroupFacts | null> {
  try {
    const { detectCgroups } = await import('@nightshift/daemon/cgroups');
    const layout = detectCgroups();
    return layout.kind === 'none'
      ? { kind: 'none', reason: layout.reason, from: 'this shell' }
      : { kind: layout.kind, from: 'this shell' };
  } catch {
    return null;
  }
}

/** Free space where the home is (or would be): its nearest existing folder. */
export async function diskFacts(home: string): Promise<{ path: string; free: number; total: number }> {
  let path = home;
  while (!existsSync(path) && dirname(path) !== path) path = dirname(path);
  const s = await statfs(path);
  return { path, free: s.bavail * s.bsize, total: s.blocks * s.bsize };
}

/** The first clock tool that answers: systemd's, chrony's, then the kernel's own status word. */
export async function clockFacts(): Promise<ClockFacts> {
  const timedatectl = await output('timedatectl', ['show', '-p', 'NTPSynchronized']);
  const synced = timedatectl === null ? null : parseTimedatectl(timedatectl);
  if (synced !== null)
    return { tool: 'timedatectl', synced, detail: `NTPSynchronized=${synced ? 'yes' : 'no'}` };
  const chrony = await output('chronyc', ['-n', 'tracking']);
  const leap = chrony === null ? null : parseChrony(chrony);
  if (leap) return { tool: 'chronyc', synced: leap.synced, detail: `leap status ${leap.leap}` };
  const adjtimex = await output('adjtimex', ['--print']);
  const kernel = adjtimex === null ? null : parseAdjtimex(adjtimex);
  if (kernel) return { tool: 'adjtimex', synced: kernel.synced, detail: `status ${kernel.status}` };
  return null;
}
