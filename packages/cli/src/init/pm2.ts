import type { Starter, StarterProcess } from './starter.js';
import { processName } from './starter.js';

/** One entry of an ecosystem file's `apps`, as far as a manifest has a field for it. */
interface Pm2App {
  name?: unknown;
  script?: unknown;
  args?: unknown;
  interpreter?: unknown;
  interpreter_args?: unknown;
  node_args?: unknown;
  cwd?: unknown;
  instances?: unknown;
  env?: unknown;
  kill_timeout?: unknown;
  max_memory_restart?: unknown;
  cron_restart?: unknown;
  autorestart?: unknown;
  watch?: unknown;
}

/** Names the platform sets itself: the manifest refuses them in `env`. */
const RESERVED = /^(PORT|HEALTH_PORT|METRICS_PORT|NIGHTSHIFT_.*)$/;

/**
 * A PM2 ecosystem file's exported object (loaded by `loadEcosystem`) as a starter. The first app named `web`, or
 * else the first that sets `PORT` in its env, is the web process; the others are workers.
 */
export function fromEcosystem(config: unknown, app: string, file: string): Starter {
  const apps = (config as { apps?: unknown } | null)?.apps;
  // PM2 also takes a single app object in place of the list.
  const list = (Array.isArray(apps) ? apps : apps ? [apps] : []) as Pm2App[];
  const isWeb = (a: Pm2App) => a.name === 'web' || hasPort(a);
  const webApp = list.find((a) => a.name === 'web') ?? list.find(hasPort);
  const workers: StarterProcess[] = [];
  let web: StarterProcess | undefined;
  list.forEach((a, i) => {
    const p = processOf(a, i, file);
    if (p === null) return;
    if (a === webApp && isWeb(a)) web = { ...p, name: 'web' };
    else workers.push(p);
  });
  return { source: file, name: app, workers, ...(web && { web }) };
}

function hasPort(a: Pm2App): boolean {
  return typeof a.env === 'object' && a.env !== null && 'PORT' in a.env;
}

function processOf(a: Pm2App, index: number, file: string): StarterProcess | null {
  if (typeof a.script !== 'string' || a.script.trim() === '') return null;
  const label = typeof a.name === 'string' ? a.name : `app ${index + 1}`;
  const name = processName(label) ?? `app${index + 1}`;
  const from = `${file} app \`${label}\``;
  const notes: string[] = [];
  const env: Record<string, string> = {};
  let port: number | undefined;
  if (typeof a.env === 'object' && a.env !== null) {
    for (const [key, value] of Object.entries(a.env as Record<string, unknown>)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
      if (key === 'PORT' && Number.isInteger(Number(value))) port = Number(value);
      else if (RESERVED.test(key)) notes.push(`env ${key} left out: Nightshift sets it itself`);
      else env[key] = String(value);
    }
  }
  if (a.autorestart === false) {
    notes.push(
      'PM2 ran it once (autorestart: false); a worker here restarts when it exits: a cron job may fit',
    );
  }
  if (typeof a.cron_restart === 'string') {
    notes.push(`PM2 restarted it on "${a.cron_restart}"; a periodic task is a \`cron\` entry here`);
  }
  if (a.watch) notes.push('PM2 watched files; here a change is a new release: `nightshift deploy`');
  return {
    name,
    start: commandOf(a),
    from,
    replicas: replicasOf(a.instances),
    ...(port !== undefined && { port }),
    ...(Object.keys(env).length > 0 && { env }),
    ...(typeof a.kill_timeout === 'number' &&
      a.kill_timeout > 0 && {
        stopGrace: { value: `${a.kill_timeout}ms`, note: `PM2 kill_timeout ${a.kill_timeout} (ms)` },
      }),
    ...memoryOf(a.max_memory_restart),
    ...(notes.length > 0 && { notes }),
  };
}

/** PM2 runs a .js/.cjs/.mjs script with node, a .py with python, a .sh with bash, anything else as is. */
function commandOf(a: Pm2App): string {
  const words = (v: unknown) => (Array.isArray(v) ? v.map(String).join(' ') : typeof v === 'string' ? v : '');
  const script = String(a.script);
  const ext = /\.([a-z]+)$/.exec(script)?.[1] ?? '';
  const interpreter =
    typeof a.interpreter === 'string' && a.interpreter !== ''
      ? a.interpreter === 'none'
        ? ''
        : a.interpreter
      : ['js', 'cjs', 'mjs'].includes(ext)
        ? 'node'
        : ext === 'py'
          ? 'python3'
          : ext === 'sh'
            ? 'bash'
            : '';
  const interpreterArgs = words(a.interpreter_args) || (interpreter === 'node' ? words(a.node_args) : '');
  const line = [interpreter, interpreterArgs, script, words(a.args)].filter((w) => w !== '').join(' ');
  const cwd = typeof a.cwd === 'string' && a.cwd !== '' && a.cwd !== '.' ? a.cwd : null;
  // The release folder is the working directory; a PM2 cwd becomes a cd (shell syntax: run by /bin/sh -c).
  return cwd ? `cd ${cwd} && ${line}` : line;
}

function replicasOf(instances: unknown): { count: number; note: string } {
  if (typeof instances === 'number' && Number.isInteger(instances) && instances >= 1) {
    return { count: instances, note: `PM2 instances: ${instances}` };
  }
  if (instances === undefined) return { count: 1, note: '' };
  // max, 0 and -1 meant "per CPU" in PM2: a fixed count is a decision for the operator, or autoscale.
  const shown = typeof instances === 'string' || typeof instances === 'number' ? instances : '?';
  return { count: 1, note: `PM2 instances: ${shown} (per CPU): set a count, or use autoscale` };
}

/** PM2's `max_memory_restart` (`300M`, `1G`, bytes) as the replica's memory limit. */
function memoryOf(raw: unknown): { memory?: { value: string; note: string } } {
  if (typeof raw !== 'string' && typeof raw !== 'number') return {};
  const m = /^(\d+)\s*([KMG]?)B?$/i.exec(String(raw).trim());
  if (!m) return {};
  const unit = (m[2] ?? '').toUpperCase();
  // PM2's units are binary; bare bytes become KiB (the manifest refuses a bare number: see tryParseMemory).
  const value =
    unit === ''
      ? `${Math.ceil(Number(m[1]) / 1024)}Ki`
      : `${m[1]}${unit === 'K' ? 'Ki' : unit === 'M' ? 'Mi' : 'Gi'}`;
  return {
    memory: {
      value,
      note: `PM2 max_memory_restart ${raw}: PM2 restarted it there; here it is the memory limit`,
    },
  };
}
