/**
 * `nightshift-worker FILE`: imports a file that exports a worker definition and runs it until SIGTERM.
 * Exit status: 0 after a clean stop, 1 when the worker fails (start or runtime), 2 for usage errors.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isWorkerDefinition, type AnyWorkerDefinition } from './definition.js';
import { describeError, isWorkerError, WorkerError } from './errors.js';
import { runWorker } from './run.js';

const USAGE = `usage: nightshift-worker FILE [--export NAME]

Runs the worker definition FILE exports (its default export, or the export NAME).
The environment configures it: WORKER_CONCURRENCY, QUEUE_NAME, REDIS_URL, NIGHTSHIFT_REDIS_PREFIX,
AMQP_URL, NATS_URL, METRICS_PORT, HEALTH_PORT, LOG_LEVEL, NIGHTSHIFT_APP/PROCESS/REPLICA/RELEASE.
SIGTERM or SIGINT stops it gracefully; a second signal exits at once.
`;

/** Runs the command line; resolves once the worker is consuming (the process then lives on its signals). */
export async function main(argv: readonly string[]): Promise<void> {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    return fail(
      2,
      'NS_USAGE',
      `Node.js ${process.versions.node} is too old for @nightshift/worker`,
      'run it with Node.js 22.12 or newer (24 LTS recommended)',
    );
  }
  const args = [...argv];
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  if (args.includes('--version')) {
    process.stdout.write(`${version()}\n`);
    return;
  }
  let exportName: string | undefined;
  const at = args.indexOf('--export');
  if (at !== -1) {
    exportName = args[at + 1];
    args.splice(at, 2);
    if (!exportName)
      return fail(
        2,
        'NS_USAGE',
        '--export needs a name',
        'e.g. nightshift-worker dist/workers.js --export emails',
      );
  }
  const unknown = args.find((arg) => arg.startsWith('-'));
  if (unknown) return fail(2, 'NS_USAGE', `unknown option ${unknown}`, 'run nightshift-worker --help');
  if (args.length !== 1)
    return fail(
      2,
      'NS_USAGE',
      args.length === 0 ? 'no worker file given' : 'more than one worker file given',
      USAGE.split('\n')[0]!,
    );

  try {
    const def = await load(args[0]!, exportName);
    await runWorker(def, { handleSignals: true, exit: true });
  } catch (error) {
    if (isWorkerError(error)) return fail(1, error.code, error.message, error.hint);
    return fail(
      1,
      'NS_INTERNAL',
      describeError(error),
      'see the stack above; report it if it comes from the SDK',
      error,
    );
  }
}

/** Imports `file` and picks its worker definition. */
async function load(file: string, exportName: string | undefined): Promise<AnyWorkerDefinition> {
  const url = pathToFileURL(resolve(file)).href;
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (isWorkerError(error)) throw error;
    throw new WorkerError(
      'NS_WORKER_FILE_INVALID',
      `could not import ${file}: ${describeError(error)}`,
      'check the path (relative to the working directory) and that the file is built JavaScript',
      { cause: error },
    );
  }
  const candidates =
    exportName !== undefined ? [module[exportName]] : [module.default, ...Object.values(module)];
  const def = candidates.find(isWorkerDefinition);
  if (!def) {
    throw new WorkerError(
      'NS_WORKER_FILE_INVALID',
      exportName !== undefined
        ? `${file} exports no worker definition named "${exportName}"`
        : `${file} exports no worker definition`,
      'export the result of defineWorker({ … }) (as the default export), and do not call runWorker in that file',
    );
  }
  return def;
}

function fail(status: number, code: string, message: string, hint: string, error?: unknown): void {
  if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.stderr.write(`error ${code}: ${message}\n  hint: ${hint}\n`);
  process.exitCode = status;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
