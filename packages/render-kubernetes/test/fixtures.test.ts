import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { manifestJsonSchema } from '@nightshift/manifest';
import { header, renderKubernetes, renderRegions, toYamlStream, type RenderOptions } from '../src/index.js';
import { semanticProblems } from './helpers/checks.js';
import {
  FIXTURES,
  GOLDEN,
  REFUSED,
  listFixtures,
  loadFixture,
  schemaPaths,
  usedPaths,
} from './helpers/fixtures.js';
import { validateObject } from './helpers/validate.js';

/**
 * Every fixture manifest goes through parseManifest and is rendered for each of its regions. Each object is
 * validated by the models and the semantic checks, and the YAML is compared with a reviewed golden file.
 * `UPDATE_GOLDEN=1 npx vitest run packages/render-kubernetes` rewrites the golden files; review the diff.
 */

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const fixtures = listFixtures(FIXTURES).map((f) => loadFixture(FIXTURES, f));

function renderOptions(
  options: RenderOptions & { defaultName?: string },
  app: string,
  region: string,
): RenderOptions {
  const { defaultName: _ignored, ...rest } = options;
  return { image: `registry.example.com/${app}:v1`, ...rest, region };
}

describe.each(fixtures)('fixture $name', (fixture) => {
  test.each(renderRegions(fixture.spec))('region %s: valid, consistent, and as reviewed', (region) => {
    const result = renderKubernetes(fixture.spec, renderOptions(fixture.options, fixture.spec.name, region));
    if (!result.ok) expect.fail(result.errors.map((e) => `${e.code} ${e.field}: ${e.message}`).join('\n'));
    const objects = result.objects.map((o) => o.object);
    for (const object of objects) validateObject(object);
    expect(semanticProblems(objects)).toEqual([]);

    const yaml = toYamlStream(result.objects, header(fixture.spec.name, region, result.release));
    const file = join(GOLDEN, fixture.name, `${region}.golden.yaml`);
    if (UPDATE) {
      mkdirSync(join(GOLDEN, fixture.name), { recursive: true });
      writeFileSync(file, yaml);
    }
    expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
    expect(yaml).toBe(readFileSync(file, 'utf8'));
  });
});

test('there are at least 10 rendered fixtures and no golden file without one', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(10);
  const expected = new Set(
    fixtures.flatMap((f) => renderRegions(f.spec).map((r) => `${f.name}/${r}.golden.yaml`)),
  );
  const present = readdirSync(GOLDEN).flatMap((dir) =>
    readdirSync(join(GOLDEN, dir)).map((f) => `${dir}/${f}`),
  );
  if (UPDATE) for (const stale of present.filter((p) => !expected.has(p))) rmSync(join(GOLDEN, stale));
  else expect(present.filter((p) => !expected.has(p))).toEqual([]);
});

test('the fixtures use every field of the manifest schema (a new field needs a fixture and a mapping)', () => {
  const schema = manifestJsonSchema();
  const all = schemaPaths(schema);
  const refused = listFixtures(REFUSED).map((f) => readFileSync(join(REFUSED, f), 'utf8'));
  const texts = [...fixtures.map((f) => f.text), ...refused];
  const used = new Set(texts.flatMap((text) => usedPaths(text, schema)));
  expect(all.filter((path) => !used.has(path))).toEqual([]);
});

describe.each(listFixtures(REFUSED))('refused fixture %s', (file) => {
  test('is refused in every region with errors naming the fields', () => {
    const fixture = loadFixture(REFUSED, file);
    expect(fixture.refused.length).toBeGreaterThan(0);
    // The same refusals whichever region is rendered: a manifest is valid for Kubernetes or it is not.
    for (const region of renderRegions(fixture.spec)) {
      const result = renderKubernetes(
        fixture.spec,
        renderOptions(fixture.options, fixture.spec.name, region),
      );
      expect(result.ok ? [] : result.errors.map((e) => [e.code, e.field])).toEqual(fixture.refused);
    }
  });
});
