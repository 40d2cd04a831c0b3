import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as manifest from '../src/index.js';
import { renderGenerated, repoRoot } from '../scripts/generated.mjs';

// The JSON Schema, docs/manifest.md and the manifest section of docs/errors.md are generated from the zod
// schema and the code catalogue. This fails when a committed copy is stale: run `npm run schema`.
describe('generated files', async () => {
  const files = await renderGenerated(manifest);
  for (const [path, expected] of Object.entries(files)) {
    it(`${path} is up to date (npm run schema)`, () => {
      const committed = readFileSync(new URL(path, repoRoot), 'utf8');
      expect(committed).toBe(expected);
    });
  }
});

describe('JSON Schema', () => {
  const schema = manifest.manifestJsonSchema() as {
    properties: Record<
      string,
      { properties?: Record<string, unknown>; items?: { properties?: Record<string, unknown> } }
    >;
    additionalProperties: boolean;
  };

  it('covers every key of DESIGN §2 and rejects unknown keys', () => {
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        'build',
        'cron',
        'deploy',
        'env',
        'logs',
        'name',
        'predeploy',
        'redis',
        'regions',
        'secrets',
        'web',
        'workers',
      ].sort(),
    );
    expect(schema.additionalProperties).toBe(false);
    const worker = Object.keys(schema.properties.workers?.items?.properties ?? {});
    for (const key of [
      'name',
      'start',
      'command',
      'args',
      'replicas',
      'autoscale',
      'resources',
      'health',
      'metrics',
      'restart',
      'stop_grace',
      'env',
      'regions',
    ]) {
      expect(worker).toContain(key);
    }
    const cron = Object.keys(schema.properties.cron?.items?.properties ?? {});
    for (const key of ['name', 'schedule', 'command', 'timeout', 'overlap']) expect(cron).toContain(key);
  });

  it('shows defaults in manifest notation', () => {
    const restart = (schema.properties.web?.properties?.restart ?? {}) as {
      properties: Record<string, { default?: unknown }>;
    };
    expect(restart.properties.backoff?.default).toBe('10s');
    expect(restart.properties.max_backoff?.default).toBe('5m');
    expect(restart.properties.reset_after?.default).toBe('10m');
  });

  it('has no leftover safe-integer bounds', () => {
    expect(JSON.stringify(schema)).not.toContain(String(Number.MAX_SAFE_INTEGER));
  });
});

describe('errors catalogue splice', () => {
  it('replaces only the manifest section and keeps the rest of the file', () => {
    const section = manifest.errorCatalogueMarkdown();
    const before = '# Errors\n\n## General\n\ntext\n';
    const once = manifest.spliceErrorSection(before, section);
    expect(once.startsWith(before.trimEnd())).toBe(true);
    const withMore = `${once}\n## Daemon\n\nmore\n`;
    const twice = manifest.spliceErrorSection(withMore, section.replace('Warnings', 'WARNINGS'));
    expect(twice).toContain('WARNINGS');
    expect(twice).toContain('## Daemon\n\nmore\n');
    expect(twice.match(/## Manifest/g)).toHaveLength(1);
  });
});
