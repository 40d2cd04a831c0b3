import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { parseManifest, type AppSpec } from '@nightshift/manifest';
import type { RenderOptions } from '../../src/index.js';

/** Fixture manifests: real `.paas/app.yaml` text, parsed by the manifest package as the CLI does. */

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const REFUSED = join(FIXTURES, 'refused');
export const GOLDEN = join(import.meta.dirname, '..', 'golden');

/** Fixed reference time: the manifest's cron check needs one and tests read no clock. */
const NOW = new Date('2026-01-01T00:00:00Z');

export interface Fixture {
  readonly name: string;
  readonly text: string;
  readonly spec: AppSpec;
  /** From a `# render-options: {json}` line; `defaultName` is the folder name given to the parser. */
  readonly options: RenderOptions & { readonly defaultName?: string };
  /** From `# refused: CODE field` lines. */
  readonly refused: readonly (readonly [string, string])[];
}

export function listFixtures(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

export function loadFixture(dir: string, file: string): Fixture {
  const text = readFileSync(join(dir, file), 'utf8');
  const optionLine = /^# render-options: (.*)$/m.exec(text)?.[1];
  const options = optionLine ? (JSON.parse(optionLine) as Fixture['options']) : {};
  const refused = [...text.matchAll(/^# refused: (\S+) (\S+)$/gm)].map(
    (m) => [m[1] ?? '', m[2] ?? ''] as const,
  );
  const parsed = parseManifest(text, { file, now: NOW, defaultName: options.defaultName ?? 'fixture' });
  if (!parsed.ok)
    throw new Error(`${file}: ${parsed.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ')}`);
  return { name: basename(file, '.yaml'), text, spec: parsed.spec, options, refused };
}

type Schema = {
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
};

/** Every field path a schema allows: `workers[].regions.*.autoscale.min`. */
export function schemaPaths(schema: Schema, prefix = ''): string[] {
  const paths: string[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    paths.push(path, ...childPaths(child, path));
  }
  return paths;
}

function childPaths(child: Schema, path: string): string[] {
  const variants = child.anyOf ?? [child];
  return variants.flatMap((v) => {
    if (v.properties) return schemaPaths(v, path);
    if (v.items?.properties) return schemaPaths(v.items, `${path}[]`);
    if (typeof v.additionalProperties === 'object' && v.additionalProperties.properties) {
      return schemaPaths(v.additionalProperties, `${path}.*`);
    }
    return [];
  });
}

/** The field paths a manifest text uses, in the same notation, guided by the schema. */
export function usedPaths(text: string, schema: Schema): string[] {
  const used: string[] = [];
  const walk = (value: unknown, s: Schema, prefix: string): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      const items = (s.anyOf ?? [s]).find((v) => v.items)?.items;
      if (items?.properties) for (const item of value) walk(item, items, `${prefix}[]`);
      return;
    }
    const variant =
      (s.anyOf ?? [s]).find((v) => v.properties || typeof v.additionalProperties === 'object') ?? s;
    for (const [key, child] of Object.entries(value)) {
      const named = variant.properties?.[key];
      const record =
        typeof variant.additionalProperties === 'object' ? variant.additionalProperties : undefined;
      if (named) {
        const path = prefix ? `${prefix}.${key}` : key;
        used.push(path);
        walk(child, named, path);
      } else if (record?.properties) {
        walk(child, record, `${prefix}.*`);
      }
    }
  };
  walk(parse(text), schema, '');
  return used;
}
