// Capture of 1,000,000 short numbered lines (`L <n>`, ~7 MB) written as fast as a Node process can: straight
// to a file (the limit) against the log pipeline (split, stamp, id, record, write with rotation).
import { LOGS_MODULE_URL, inStandInDaemon, throughPipeline, toFile } from './fixtures/logs-bench-common.mjs';
import { COMPARE, withCompare } from './lib/compare.mjs';

const COUNT = 1_000_000;

export default {
  title: `logs: capture ${COUNT.toLocaleString('en')} short lines`,
  runs: 5,
  warmup: 1,
  setup: () => ({
    url: LOGS_MODULE_URL,
    ...(COMPARE ? { compare: { url: COMPARE.logsModuleUrl } } : {}),
  }),
  baseline: { name: 'node emit.js > file', run: () => toFile(COUNT, 0) },
  cases: withCompare([
    { name: 'through the log pipeline (in process)', run: ({ url }) => throughPipeline(COUNT, 0, url) },
    {
      name: 'in a stand-in daemon process (wall time includes its start-up)',
      run: ({ url }) => inStandInDaemon(COUNT, 0, url),
    },
  ]),
};
