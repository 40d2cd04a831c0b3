import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { ErrorCodes } from '@nightshift/protocol';
import { CliError } from '../output.js';

/**
 * Run in the child: imports the file (CommonJS or ESM alike) and prints what it exports as JSON. Functions and
 * symbols drop out; a config that exports a promise is awaited, as PM2 does not, but harmlessly.
 */
const LOADER = `
const { pathToFileURL } = require('node:url');
import(pathToFileURL(process.argv[1]).href)
  .then(async (m) => { const c = await (m.default ?? m); process.stdout.write(JSON.stringify(c ?? null)); })
  .catch((e) => { process.stderr.write(String(e && e.message || e)); process.exit(1); });
`;

const TIMEOUT_MS = 5_000;

/**
 * Loads a PM2 ecosystem file. It is code (paths joined, env read, objects spread), so only running it gives its
 * values; a static parse would understand literal objects only. It runs in a child node, never in the CLI: its
 * side effects (process.exit, timers, globals) stay out, a hang ends at the timeout, and only JSON comes back.
 * Where Node has the permission model (22.13+, 24), the child may read the app's folder and nothing else, and may
 * not write files, start processes or workers; its environment is PATH and HOME only, so no variable of the
 * operator's (a token, a database URL) can end up in the manifest.
 */
export function loadEcosystem(file: string): Promise<unknown> {
  const sandbox = process.allowedNodeEnvironmentFlags.has('--permission')
    ? ['--permission', `--allow-fs-read=${dirname(file)}`]
    : [];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...sandbox, '-e', LOADER, file],
      {
        cwd: dirname(file),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/' },
        timeout: TIMEOUT_MS,
        maxBuffer: 4 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err) {
          const why = err.killed ? `no answer within ${TIMEOUT_MS / 1000} s` : stderr.trim() || err.message;
          reject(new CliError(ErrorCodes.initSourceUnreadable, `cannot load ${file}: ${why}`, hint()));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as unknown);
        } catch {
          reject(
            new CliError(ErrorCodes.initSourceUnreadable, `${file} exported nothing JSON can hold`, hint()),
          );
        }
      },
    );
  });
}

function hint(): string {
  return 'it must export { apps: [...] } and load with node from the app folder; or pass --from procfile|package';
}
