// Schedule: an in-process timer inside a long-running worker, here every 15 minutes (UTC). A slot that comes
// while the previous run is still going is skipped and logged. (For a command the daemon runs on a schedule,
// use the manifest's `cron` instead.)
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineWorker, schedule } from '@nightshift/worker';

const DIR = process.env.EXPORT_DIR ?? join(tmpdir(), 'exports');
const MAX_AGE_MS = 7 * 86_400_000;

export default defineWorker({
  name: 'cleanup',
  source: schedule('*/15 * * * *', { name: 'export-cleanup' }),
  retry: { attempts: 2, backoff: { type: 'fixed', delay: 30_000 } },
  async handle(job, { log, signal }) {
    const cutoff = (job.enqueuedAt ?? new Date()).getTime() - MAX_AGE_MS;
    let removed = 0;
    for (const name of await readdir(DIR).catch(() => [])) {
      if (signal.aborted) break; // stopping: the next slot carries on
      const file = join(DIR, name);
      if ((await stat(file)).mtimeMs < cutoff) {
        await rm(file, { force: true });
        removed += 1;
      }
    }
    log.info({ removed }, 'old exports removed');
  },
});
