/**
 * Queue clients are optional peer dependencies, imported only when a worker uses them: a BullMQ worker never
 * loads amqplib. A missing client is a catalogued error that names the package to install.
 */
import { WorkerError } from '../errors.js';

/**
 * Imports an optional peer dependency.
 *
 * @example
 * const { Worker } = await importPeer<typeof import('bullmq')>('bullmq', 'bullmq()');
 */
export async function importPeer<T>(name: string, source: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new WorkerError(
        'NS_WORKER_PEER_MISSING',
        `the ${source} source needs the package "${name}", which is not installed`,
        `install it next to @nightshift/worker: npm install ${name}`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Resolves the queue name: the override (`QUEUE_NAME` or `runWorker({ queue })`) wins over the source's own. */
export function queueName(
  source: string,
  own: string | undefined,
  override: string | undefined,
  what = 'queue',
): string {
  const name = override ?? own;
  if (name === undefined || name === '') {
    throw new WorkerError(
      'NS_WORKER_DEFINITION_INVALID',
      `the ${source} source has no ${what} name`,
      `pass ${source.replace(/\(\)$/, '')}({ ${what}: '…' }) or set QUEUE_NAME in the process's env`,
    );
  }
  return name;
}
