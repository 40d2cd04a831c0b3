// A drain's catch-up (or a resumed `logs -t`) paging through a stored backlog with `readAfter`, 1,000 lines a
// page, against one query that reads the same lines at once (the least the disk and decoding cost). The backlog
// is 200,000 lines of ~100 B from one replica in 10 MiB segments, gzip-compressed as the daemon stores them.
// With BENCH_COMPARE the same backlog is paged by the other build's log service too (before/after).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { LOGS_MODULE_URL } from './fixtures/logs-bench-common.mjs';
import { COMPARE, withCompare } from './lib/compare.mjs';
import { sleep } from './lib/daemon.mjs';

const LINES = Number(process.env.BENCH_REPLAY_LINES ?? 200_000);
const PAGE = 1000;
// The daemon's default segment size (an app's retention / 8, at most 10 MiB).
const SEGMENT_BYTES = Number(process.env.BENCH_REPLAY_SEGMENT_MIB ?? 10) * 1024 * 1024;

async function openBacklog(moduleUrl) {
  const { createLogService } = await import(moduleUrl.href);
  const dir = mkdtempSync(join(tmpdir(), 'ns-bench-'));
  const logs = createLogService({ dir, retainBytes: 1024 * 1024 * 1024, maxFileBytes: SEGMENT_BYTES });
  const pipe = new PassThrough();
  const captured = logs.capture({ app: 'bench', process: 'emails', source: 'emails.1' }, 'out', pipe);
  let text = '';
  for (let n = 1; n <= LINES; n++) {
    text += `line ${n} ${'x'.repeat(90)}\n`;
    if (text.length >= 64 * 1024) {
      if (!pipe.write(text)) await new Promise((resolve) => pipe.once('drain', resolve));
      text = '';
    }
  }
  pipe.end(text);
  await captured;
  const logsDir = join(dir, 'bench', 'logs');
  while (readdirSync(logsDir).some((n) => /\.\d+\.log(\.gz\.partial)?$/.test(n))) await sleep(50);
  return { logs, dir };
}

async function pageThrough(logs) {
  const t0 = performance.now();
  let count = 0;
  for (let after = '0'; ;) {
    const page = await logs.readAfter('bench', after, {}, PAGE);
    if (page.length === 0) break;
    count += page.length;
    after = page.at(-1).id;
  }
  if (count !== LINES) throw new Error(`paged ${count} lines, stored ${LINES}`);
  return { metrics: { ms: performance.now() - t0, pages: Math.ceil(count / PAGE) } };
}

export default {
  title: `logs: a catch-up through ${LINES.toLocaleString('en')} stored lines, ${PAGE} a page (readAfter)`,
  ratioOf: 'ms',
  runs: 5,
  warmup: 1,
  async setup() {
    const mine = await openBacklog(LOGS_MODULE_URL);
    const other = COMPARE ? await openBacklog(COMPARE.logsModuleUrl) : null;
    return {
      logs: mine.logs,
      dirs: [mine.dir, other?.dir],
      others: [mine.logs, other?.logs],
      ...(other ? { compare: { logs: other.logs } } : {}),
    };
  },
  async teardown({ others, dirs }) {
    for (const logs of others) await logs?.close();
    for (const dir of dirs) if (dir) rmSync(dir, { recursive: true, force: true });
  },
  baseline: {
    name: 'one query of every line (logs -n)',
    async run({ logs }) {
      const t0 = performance.now();
      const all = await logs.query({ app: 'bench', limit: LINES });
      if (all.length !== LINES) throw new Error(`read ${all.length} lines, stored ${LINES}`);
      return { metrics: { ms: performance.now() - t0, pages: 1 } };
    },
  },
  cases: withCompare([{ name: `pages of ${PAGE} after the last id`, run: ({ logs }) => pageThrough(logs) }]),
};
