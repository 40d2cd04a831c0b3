import { createRequire } from 'node:module';

// Builtins and the daemon bundle come through `require`: importing them as ES modules would load what their lazy
// exports need (node:util's parseArgs alone brings worker_threads and more), memory the daemon keeps for its life.
const require = createRequire(import.meta.url);

/**
 * `nightshift daemon [--port N] [--host ADDRESS] [--require-noeviction]` without the CLI's command tree. The daemon keeps every module
 * it loads for its whole life; commander and the modules of every command would cost it memory for nothing.
 * `daemon --help` and `daemon stop` still go through the full CLI (commands/daemon.ts, same options).
 */
export async function daemonEntry(args: readonly string[]): Promise<number> {
  const { parseArgs } = require('node:util') as typeof import('node:util');
  let values: {
    port?: string | undefined;
    host?: string | undefined;
    'require-noeviction'?: boolean | undefined;
  };
  try {
    values = parseArgs({
      args: [...args],
      // No defaults here: parseDaemonConfig holds them, after NIGHTSHIFT_HTTP_PORT / NIGHTSHIFT_HTTP_HOST.
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'require-noeviction': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n(run \`nightshift daemon --help\` for usage)\n`);
    return 2;
  }
  return (await loadDaemon()).runDaemon({
    port: values.port,
    host: values.host,
    requireNoeviction: values['require-noeviction'],
  });
}

/** The bundled daemon (scripts/bundle.mjs, part of `npm run build`); its modules when only `tsc -b` ran. */
async function loadDaemon(): Promise<typeof import('@nightshift/daemon')> {
  try {
    return require('@nightshift/daemon/bundle') as typeof import('@nightshift/daemon');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    return import('@nightshift/daemon');
  }
}
