import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where this daemon may make cgroups, found from `/proc/self/mounts` and `/proc/self/cgroup`, never assumed:
 * - `v2`: the unified hierarchy with the memory and cpu controllers available to our own cgroup (delegated);
 * - `v1`: the `memory`, `cpu` and `cpuacct` hierarchies (one mount may hold several, `cpu,cpuacct`);
 * - `none`: neither is writable: limits fall back to the watchdog (soft).
 * Each base is the daemon's own cgroup in that hierarchy, so what it creates stays under any limit set on it.
 */
export type CgroupLayout =
  | { readonly kind: 'v2'; readonly base: string }
  | { readonly kind: 'v1'; readonly bases: Readonly<Partial<Record<V1Controller, string>>> }
  | { readonly kind: 'none'; readonly reason: string };

export type V1Controller = 'memory' | 'cpu' | 'cpuacct';
const V1_CONTROLLERS: readonly V1Controller[] = ['memory', 'cpu', 'cpuacct'];

interface Mount {
  readonly dir: string;
  readonly type: string;
  readonly options: readonly string[];
}

function mounts(text: string): Mount[] {
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f.length >= 4 && (f[2] === 'cgroup' || f[2] === 'cgroup2'))
    .map((f) => ({ dir: unescapeMount(f[1] ?? ''), type: f[2] ?? '', options: (f[3] ?? '').split(',') }));
}

/** /proc/mounts writes spaces and a few others as octal escapes. */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** `/proc/self/cgroup`: `ID:controllers:path`, `0::path` for v2. */
function ownPaths(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [, controllers, ...rest] = line.split(':');
    if (controllers === undefined || rest.length === 0) continue;
    const path = rest.join(':');
    if (controllers === '') out.set('', path);
    for (const c of controllers.split(',')) if (c) out.set(c, path);
  }
  return out;
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function detectCgroups(proc = '/proc/self'): CgroupLayout {
  const all = mounts(read(join(proc, 'mounts')));
  const own = ownPaths(read(join(proc, 'cgroup')));
  const unified = all.find((m) => m.type === 'cgroup2');
  const ownV2 = own.get('');
  if (unified && ownV2 !== undefined) {
    const base = join(unified.dir, ownV2).replace(/(.)\/+$/, '$1');
    const controllers = read(join(base, 'cgroup.controllers')).trim().split(/\s+/);
    if (controllers.includes('memory') && controllers.includes('cpu') && writable(base)) {
      return { kind: 'v2', base };
    }
  }
  const bases: Partial<Record<V1Controller, string>> = {};
  for (const controller of V1_CONTROLLERS) {
    const mount = all.find((m) => m.type === 'cgroup' && m.options.includes(controller));
    const path = own.get(controller);
    if (!mount || path === undefined) continue;
    const base = join(mount.dir, path).replace(/(.)\/+$/, '$1');
    if (writable(base)) bases[controller] = base;
  }
  if (bases.memory) return { kind: 'v1', bases };
  return {
    kind: 'none',
    reason: unified
      ? 'cgroup v2 is mounted without the memory and cpu controllers delegated, and no cgroup v1 memory hierarchy is writable'
      : 'no writable cgroup hierarchy (v2 or v1 memory) is mounted',
  };
}
