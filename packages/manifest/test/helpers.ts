import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseManifest } from '../src/index.js';
import type { AppSpec, ManifestDiagnostic, ParseOptions, ParseResult } from '../src/index.js';

/** A fixed reference time: the cron horizon checks must not depend on the day the tests run. */
export const NOW = new Date('2026-11-23T12:00:00Z');

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function fixture(path: string): string {
  return readFileSync(fixturesDir + path, 'utf8');
}

export function fixtureNames(folder: 'good' | 'bad'): string[] {
  return readdirSync(fixturesDir + folder)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

export function parse(text: string, options: Partial<ParseOptions> = {}): ParseResult {
  return parseManifest(text, { file: '.paas/app.yaml', defaultName: 'shop', now: NOW, ...options });
}

/** Parses text that must be valid and returns its spec (the test fails with the diagnostics otherwise). */
export function spec(text: string, options: Partial<ParseOptions> = {}): AppSpec {
  const result = parse(text, options);
  if (!result.ok)
    throw new Error(
      `expected a valid manifest, got:\n${result.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.message}`).join('\n')}`,
    );
  return result.spec;
}

/** Errors and warnings together, as `LINE:COL CODE`. */
export function located(result: ParseResult): string[] {
  const all: ManifestDiagnostic[] = [...(result.ok ? [] : result.errors), ...result.warnings];
  return all.map((d) => `${d.line}:${d.column} ${d.code}`);
}

export function codes(result: ParseResult): string[] {
  return [...(result.ok ? [] : result.errors), ...result.warnings].map((d) => d.code);
}
