import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { FILE_CODES, MANIFEST_CODES, summarize } from '../src/index.js';
import type { ManifestDiagnostic } from '../src/index.js';
import { fixture, parse } from './helpers.js';

// Feeds mutated manifests (deleted, duplicated, retyped and invented keys, random scalars, broken YAML) to
// parseManifest. Whatever the input: no exception, only catalogued codes, and every diagnostic located inside
// the text.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

const bases = ['good/paas-shape.yaml', 'good/design-full.yaml', 'good/extensions.yaml'].map(
  (name) => parseYaml(fixture(name)) as Json,
);

function pathsOf(node: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(node)) node.forEach((child, i) => pathsOf(child, [...prefix, i], out));
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) pathsOf(v, [...prefix, k], out);
  return out;
}

function parentAndKey(root: Json, path: Path): [Json, string | number] | null {
  if (path.length === 0) return null;
  let node = root;
  for (const segment of path.slice(0, -1)) node = (node as Record<string | number, Json>)[segment] as Json;
  return [node, path[path.length - 1]!];
}

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -70_000, max: 70_000 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '10s',
    '0s',
    '512Mi',
    '500m',
    '@daily',
    '@reboot',
    '0 0 30 2 *',
    '* * * * * *',
    'a && b',
    '"',
    'web',
    'PORT',
  ),
);
const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }) },
);
const keyName = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom(
    'replica',
    'name',
    'start',
    'command',
    'args',
    'autoscale',
    'regions',
    'env',
    'health',
    'port',
    'x',
  ),
);

/** One structural edit at a path chosen by `pick`. */
const edit = fc.tuple(fc.constantFrom('delete', 'retype', 'insert', 'duplicate'), fc.nat(), value, keyName);

function applyEdit(root: Json, [kind, pick, replacement, key]: [string, number, Json, string]): Json {
  const paths = pathsOf(root);
  const path = paths[pick % paths.length]!;
  const spot = parentAndKey(root, path);
  if (!spot) return kind === 'retype' ? replacement : root;
  const [parent, last] = spot;
  const container = parent as Record<string | number, Json>;
  if (kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete container[last];
  } else if (kind === 'retype') {
    container[last] = replacement;
  } else if (kind === 'insert') {
    const target = container[last];
    if (target && typeof target === 'object' && !Array.isArray(target)) target[key] = replacement;
    else if (Array.isArray(target)) target.push(replacement);
  } else if (Array.isArray(parent)) {
    parent.push(structuredClone(parent[last as number]!));
  }
  return root;
}

/** One textual edit: break the YAML itself. */
const textEdit = fc.tuple(
  fc.constantFrom('duplicate-line', 'delete-line', 'insert', 'truncate', 'indent', 'dedent', 'tab'),
  fc.nat(),
  fc.string({
    maxLength: 6,
    unit: fc.constantFrom(
      ':',
      '-',
      '[',
      ']',
      '{',
      '}',
      '"',
      "'",
      '&',
      '*',
      '!',
      '#',
      '|',
      '>',
      ' ',
      '\n',
      'x',
      '\t',
      '%',
      '@',
      '`',
      '?',
      'é',
    ),
  }),
);

function applyTextEdit(text: string, [kind, pick, junk]: [string, number, string]): string {
  const lines = text.split('\n');
  const i = pick % Math.max(lines.length, 1);
  switch (kind) {
    case 'duplicate-line':
      lines.splice(i, 0, lines[i] ?? '');
      break;
    case 'delete-line':
      lines.splice(i, 1);
      break;
    case 'indent':
      lines[i] = `  ${lines[i] ?? ''}`;
      break;
    case 'dedent':
      lines[i] = (lines[i] ?? '').replace(/^ {1,2}/, '');
      break;
    case 'tab':
      lines[i] = `\t${lines[i] ?? ''}`;
      break;
    case 'truncate':
      return text.slice(0, pick % (text.length + 1));
    default: {
      const at = pick % (text.length + 1);
      return text.slice(0, at) + junk + text.slice(at);
    }
  }
  return lines.join('\n');
}

const manifestText = fc
  .tuple(
    fc.constantFrom(...bases.keys()),
    fc.array(edit, { maxLength: 4 }),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      { weight: 2, arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 2 }) },
    ),
  )
  .map(([base, edits, textEdits]) => {
    const doc = edits.reduce(applyEdit, structuredClone(bases[base]!));
    return textEdits.reduce(applyTextEdit, stringify(doc));
  });

function assertLocated(d: ManifestDiagnostic, text: string): void {
  const lineCount = text.split('\n').length;
  expect(Object.hasOwn(MANIFEST_CODES, d.code), d.code).toBe(true);
  expect(FILE_CODES).not.toContain(d.code);
  expect(d.severity).toBe(MANIFEST_CODES[d.code as keyof typeof MANIFEST_CODES].severity);
  expect(
    Number.isInteger(d.line) && d.line >= 1 && d.line <= lineCount,
    `line ${d.line} of ${lineCount}`,
  ).toBe(true);
  expect(Number.isInteger(d.column) && d.column >= 1).toBe(true);
  expect(d.message).not.toBe('');
  expect(d.hint).not.toBe('');
}

describe('mutated manifests (property-based)', () => {
  it('never throw, use only catalogued codes, and locate every diagnostic', () => {
    let invalid = 0;
    let valid = 0;
    fc.assert(
      fc.property(manifestText, (text) => {
        const result = parse(text);
        for (const d of [...(result.ok ? [] : result.errors), ...result.warnings]) assertLocated(d, text);
        if (result.ok) {
          valid++;
          expect(summarize(result.spec)).toMatch(/^[a-z][a-z0-9-]*: /);
        } else {
          invalid++;
          expect(result.errors.length).toBeGreaterThan(0);
          expect(result.errors.every((e) => e.severity === 'error')).toBe(true);
        }
      }),
      { numRuns: 10_000 },
    );
    // The generator must produce both broken and still-valid manifests, or the property proves little.
    expect(invalid).toBeGreaterThan(3_000);
    expect(valid).toBeGreaterThan(1_000);
  }, 120_000); // ~15 s alone; generous because the suite shares two cores with other work.
});
