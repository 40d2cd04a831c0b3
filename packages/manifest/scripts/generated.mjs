// The files generated from the manifest schema, rendered in memory. Shared by gen-schema.mjs (which writes them)
// and the unit test (which fails when the committed copies are out of date).
import { readFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

export const repoRoot = new URL('../../../', import.meta.url);

export const SCHEMA_PATH = 'packages/manifest/schema/app.schema.json';
export const REFERENCE_PATH = 'docs/manifest.md';
export const ERRORS_PATH = 'docs/errors.md';

async function markdown(text, path) {
  const options = (await resolveConfig(new URL(path, repoRoot))) ?? {};
  return format(text, { ...options, parser: 'markdown' });
}

/**
 * @param {typeof import('../src/index.js')} manifest the package, from src (tests) or dist (the script)
 * @returns {Promise<Record<string, string>>} repository-relative path → content
 */
export async function renderGenerated(manifest) {
  const errorsMd = readFileSync(new URL(ERRORS_PATH, repoRoot), 'utf8');
  const section = (await markdown(manifest.errorCatalogueMarkdown(), ERRORS_PATH)).trimEnd();
  return {
    [SCHEMA_PATH]: JSON.stringify(manifest.manifestJsonSchema(), null, 2) + '\n',
    [REFERENCE_PATH]: await markdown(manifest.manifestReferenceMarkdown(), REFERENCE_PATH),
    [ERRORS_PATH]: manifest.spliceErrorSection(errorsMd, section),
  };
}
