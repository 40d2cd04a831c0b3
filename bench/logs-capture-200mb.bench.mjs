// Capture of 200 MB of 200-byte numbered lines: straight to a file (the limit) against the log pipeline with
// the default rotation (10 MiB × 5 files), and the RSS of a daemon after the burst.
import { inStandInDaemon, throughPipeline, toFile } from './fixtures/logs-bench-common.mjs';

const COUNT = 1_000_000;
const LINE_BYTES = 200;

export default {
  title: 'logs: capture 200 MB of 200-byte lines',
  runs: 5,
  warmup: 1,
  baseline: { name: 'node emit.js > file', run: () => toFile(COUNT, LINE_BYTES) },
  cases: [
    { name: 'through the log pipeline (in process)', run: () => throughPipeline(COUNT, LINE_BYTES) },
    {
      name: 'in a stand-in daemon process (wall time includes its start-up)',
      run: () => inStandInDaemon(COUNT, LINE_BYTES),
    },
  ],
};
