// Validating a 200-worker manifest, against plain YAML parsing of the same text.
import { LineCounter, parse, parseDocument } from 'yaml';
import { parseManifest } from '@nightshift/manifest';

const WORKERS = 200;
const NOW = new Date('2026-11-23T00:00:00Z');

function worker(i) {
  const scaling =
    i % 3 === 0
      ? `    autoscale: { min: 1, max: 8, cpu: 70, queue: { name: q${i}, target: 50 } }\n`
      : `    replicas: ${1 + (i % 4)}\n`;
  return (
    `  - name: worker-${i}\n` +
    `    start: node dist/workers/w${i}.js --queue q${i}\n` +
    scaling +
    `    resources: { cpu: 500m, memory: 512Mi }\n` +
    `    health: { port: ${10000 + i}, path: /healthz, interval: 10s }\n` +
    `    metrics: { port: ${20000 + i} }\n` +
    `    restart: { backoff: 5s, max_backoff: 2m }\n` +
    `    env: { QUEUE: q${i}, CONCURRENCY: ${i % 10} }\n`
  );
}

function manifest() {
  const cron = Array.from(
    { length: 20 },
    (_, i) => `  - { name: job-${i}, schedule: "${i} */2 * * *", command: node jobs/${i}.js }\n`,
  );
  return (
    `name: big\nredis: true\nsecrets: [DATABASE_URL]\nenv: { LOG_LEVEL: info }\n` +
    `web: { start: node dist/server.js, health: { path: /healthz } }\n` +
    `workers:\n${Array.from({ length: WORKERS }, (_, i) => worker(i)).join('')}` +
    `cron:\n${cron.join('')}`
  );
}

/** The same manifest with a typo in every tenth worker: the error path locates each one. */
function brokenManifest(text) {
  let n = 0;
  return text.replace(/    replicas: /g, (m) => (n++ % 10 === 0 ? '    replica: ' : m));
}

export default {
  title: `Validate a ${WORKERS}-worker manifest (+ web, 20 cron jobs)`,
  runs: 15,
  warmup: 3,
  setup: async () => {
    const text = manifest();
    return { text, broken: brokenManifest(text), kB: Buffer.byteLength(text) / 1024 };
  },
  baseline: {
    name: 'yaml.parse (no positions, no checks)',
    run: async (ctx) => {
      parse(ctx.text);
      return { metrics: { kB: ctx.kB } };
    },
  },
  cases: [
    {
      name: 'yaml.parseDocument + LineCounter',
      run: async (ctx) => {
        parseDocument(ctx.text, { lineCounter: new LineCounter() }).toJS();
      },
    },
    {
      name: 'parseManifest (valid)',
      run: async (ctx) => {
        const result = parseManifest(ctx.text, { file: 'app.yaml', now: NOW });
        if (!result.ok) throw new Error(`fixture invalid: ${result.errors[0]?.message}`);
        return { metrics: { errors: 0 } };
      },
    },
    {
      name: 'parseManifest (an error in every 10th worker)',
      run: async (ctx) => {
        const result = parseManifest(ctx.broken, { file: 'app.yaml', now: NOW });
        return { metrics: { errors: result.ok ? 0 : result.errors.length } };
      },
    },
  ],
};
