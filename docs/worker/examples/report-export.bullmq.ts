// BullMQ: export a workspace's orders as CSV. Each job gets its own scratch directory (a job service),
// removed when the job ends, whether it succeeded or threw.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { bullmq, bullmqPrefix, defineWorker, NonRetriableError, type Job } from '@nightshift/worker';

export interface ExportJob {
  workspaceId: string;
  month: string; // 2026-11
}

/** Where finished exports go (a mounted volume, an object store, …). */
const OUTPUT_DIR = process.env.EXPORT_DIR ?? join(tmpdir(), 'exports');

/** Producer side (e.g. in the web process): same prefix as the worker, `<app>:bull` under Nightshift. */
export async function requestExport(data: ExportJob): Promise<void> {
  const queue = new Queue<ExportJob>('exports', {
    connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    prefix: bullmqPrefix(),
  });
  await queue.add('export', data, { jobId: `${data.workspaceId}-${data.month}` }); // one export per workspace and month
  await queue.close();
}

/** Stands in for the app's database access (a pg.Pool, Prisma, …): created once, closed at shutdown. */
function createOrderStore() {
  return {
    ordersOf(workspaceId: string, month: string): { id: string; total: number }[] {
      return [{ id: `${workspaceId}-${month}-1`, total: 42 }];
    },
    close(): void {},
  };
}

export default defineWorker({
  name: 'exports',
  source: bullmq({ queue: 'exports' }),
  concurrency: 2,
  timeout: 10 * 60_000,
  retry: { attempts: 4, backoff: { type: 'exponential', delay: 5_000, maxDelay: 60_000 } },
  services: {
    orders: () => createOrderStore(),
  },
  jobServices: {
    // Created the first time the handler asks for it; removed after the job, even if it threw.
    scratch: ({ ctx }) => {
      const dir = mkdtemp(join(tmpdir(), `export-${ctx.jobId}-`));
      return { dir, [Symbol.asyncDispose]: async () => rm(await dir, { recursive: true, force: true }) };
    },
  },
  context: (job: Job<ExportJob>) => ({ workspaceId: job.data.workspaceId }),
  async handle(job: Job<ExportJob>, { resolve, log, signal }) {
    if (!/^\d{4}-\d{2}$/.test(job.data.month)) throw new NonRetriableError(`not a month: ${job.data.month}`);
    const rows = resolve('orders').ordersOf(job.data.workspaceId, job.data.month);
    const dir = await resolve('scratch').dir;
    const file = join(dir, 'orders.csv');
    await writeFile(file, ['id,total', ...rows.map((r) => `${r.id},${r.total}`)].join('\n'), { signal });
    await mkdir(OUTPUT_DIR, { recursive: true });
    const target = join(OUTPUT_DIR, `${job.data.workspaceId}-${job.data.month}.csv`);
    await copyFile(file, target); // the scratch copy goes with the scope
    log.info({ rows: rows.length, target }, 'export written');
    return { target };
  },
});
