/** The worker docs stay true: each page shows its example file verbatim, and the examples type-check. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const docs = join(root, 'docs', 'worker');

const pages: Record<string, string[]> = {
  'bullmq.md': ['report-export.bullmq.ts'],
  'rabbitmq.md': ['webhooks.rabbitmq.ts'],
  'jetstream.md': ['indexer.jetstream.ts'],
  'redis-streams.md': ['signups.redis-stream.ts'],
  'schedule.md': ['cleanup.schedule.ts'],
  'email-dispatch.md': ['email-dispatch.ts', 'email-dispatch.test.ts'],
  'circuit-breaker.md': ['invoices.circuit-breaker.ts'],
};

describe('docs/worker', () => {
  it.each(Object.entries(pages))('%s shows its examples verbatim', (page, examples) => {
    const text = readFileSync(join(docs, page), 'utf8');
    for (const example of examples) {
      const code = readFileSync(join(docs, 'examples', example), 'utf8').trimEnd();
      expect(
        text.includes(`\`\`\`ts\n${code}\n\`\`\``),
        `${page} must contain examples/${example} as a ts block`,
      ).toBe(true);
    }
  });

  it('has examples that type-check against the built package', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', join(docs, 'examples')], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
