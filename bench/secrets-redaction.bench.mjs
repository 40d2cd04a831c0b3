// What secret redaction costs the log pipeline: 1,000,000 lines (~60 B, a realistic worker log) captured in
// process from memory, without a redactor (baseline) and with the redactor the secrets service builds for an app
// with 10 or 100 secrets — none of them printed (the common case: capture keeps its fast path, one regex test
// per chunk), or one line in 100 printing one (those chunks take the line-by-line path).
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COUNT = 1_000_000;
const logsUrl = new URL('../packages/daemon/dist/logs/index.js', import.meta.url);
const redactorUrl = new URL('../packages/daemon/dist/secrets/redactor.js', import.meta.url);

function secrets(n) {
  return Array.from({ length: n }, (_, i) => [
    `SECRET_${i}`,
    `postgres://svc${i}:${(i * 7919).toString(36)}-pw-${i}@db${i}.internal/app`,
  ]);
}

/** ~64 KiB chunks of numbered lines; every `every`-th line ends with a secret value (0: never). */
function chunksOf(values, every) {
  const chunks = [];
  let lines = [];
  let size = 0;
  for (let n = 1; n <= COUNT; n++) {
    const secret = every > 0 && n % every === 0 ? ` url=${values[n % values.length][1]}` : '';
    const line = `info job=${n} sent mail to user${n % 997}@example.com in ${n % 50}ms${secret}\n`;
    lines.push(line);
    size += line.length;
    if (size >= 65536) {
      chunks.push(Buffer.from(lines.join('')));
      lines = [];
      size = 0;
    }
  }
  if (lines.length) chunks.push(Buffer.from(lines.join('')));
  return chunks;
}

async function capture(redactorOf) {
  const { createLogService } = await import(logsUrl.href);
  const dir = mkdtempSync(join(tmpdir(), 'ns-bench-'));
  const logs = createLogService({ dir });
  const { redactor, chunks } = redactorOf;
  if (redactor) logs.setRedactor('bench', redactor);
  const started = performance.now();
  try {
    await logs.capture({ app: 'bench', process: 'emails', source: 'emails.1' }, 'out', Readable.from(chunks));
    const ms = performance.now() - started;
    return { metrics: { 'lines/s': COUNT / (ms / 1000) } };
  } finally {
    await logs.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default {
  title: `secrets: redaction while capturing ${COUNT.toLocaleString('en')} lines`,
  runs: 5,
  warmup: 1,
  async setup() {
    const { secretRedactor } = await import(redactorUrl.href);
    const ten = secrets(10);
    const hundred = secrets(100);
    return {
      none: { redactor: null, chunks: chunksOf(ten, 0) },
      ten: { redactor: secretRedactor(ten), chunks: chunksOf(ten, 0) },
      hundred: { redactor: secretRedactor(hundred), chunks: chunksOf(hundred, 0) },
      tenPrinted: { redactor: secretRedactor(ten), chunks: chunksOf(ten, 100) },
    };
  },
  baseline: { name: 'no redactor', run: (ctx) => capture(ctx.none) },
  cases: [
    { name: '10 secrets, none printed', run: (ctx) => capture(ctx.ten) },
    { name: '100 secrets, none printed', run: (ctx) => capture(ctx.hundred) },
    { name: '10 secrets, 1 line in 100 prints one', run: (ctx) => capture(ctx.tenPrinted) },
  ],
};
