import type { Starter, StarterProcess } from './starter.js';
import { processName } from './starter.js';

/** `worker`, `worker:emails` and `emails:worker` are worker scripts (named `worker`, `emails`, `emails`). */
const WORKER_SCRIPT = /^(?:worker(?::(.+))?|(.+):worker)$/;

/**
 * package.json scripts, by the convention Heroku's Node buildpack follows: `start` is the web process, and a
 * script named like a worker is one. They run through npm (`npm start`, `npm run worker`), which puts
 * node_modules/.bin on PATH as the script expects; SIGTERM still reaches the script, since the daemon signals
 * the whole process group. Null when no script qualifies.
 */
export function fromPackageJson(pkg: unknown, app: string): Starter | null {
  const scripts = (pkg as { scripts?: unknown } | null)?.scripts;
  if (typeof scripts !== 'object' || scripts === null) return null;
  let web: StarterProcess | undefined;
  const workers: StarterProcess[] = [];
  for (const [script, body] of Object.entries(scripts)) {
    if (typeof body !== 'string') continue;
    const from = `package.json script \`${script}\` (${body})`;
    if (script === 'start') {
      web = { name: 'web', start: 'npm start', from };
      continue;
    }
    const m = WORKER_SCRIPT.exec(script);
    const name = m ? processName(m[1] ?? m[2] ?? 'worker') : null;
    if (name !== null) {
      workers.push({ name, start: `npm run ${script}`, from, replicas: { count: 1, note: '' } });
    }
  }
  if (!web && workers.length === 0) return null;
  const predeploy = typeof (scripts as Record<string, unknown>).migrate === 'string' ? 'migrate' : null;
  return {
    source: 'package.json',
    name: app,
    workers,
    ...(web && { web }),
    ...(predeploy && { predeploy: { command: 'npm run migrate', from: 'package.json script `migrate`' } }),
  };
}
