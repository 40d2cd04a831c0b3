import { describe, expect, it } from 'vitest';
import { FILE_CODES, MANIFEST_CODES } from '../src/index.js';
import { fixture, fixtureNames, located, parse } from './helpers.js';

// Each bad fixture ends with `# expect: LINE:COL CODE` lines listing every diagnostic it must produce (checked
// by hand against the text when the fixture was written). Comments do not change what the YAML means.
function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (\d+:\d+ NS_[A-Z_]+)$/gm)].map((m) => m[1] ?? '');
}

describe('bad fixtures', () => {
  for (const name of fixtureNames('bad')) {
    it(`${name} reports exactly its expected diagnostics, each located`, () => {
      const text = fixture(`bad/${name}`);
      const expected = expectations(text);
      expect(expected.length).toBeGreaterThan(0);
      const result = parse(text, { file: `bad/${name}` });
      expect(located(result)).toEqual(expected);
      const onlyWarnings = expected.every(
        (e) => MANIFEST_CODES[e.split(' ')[1] as keyof typeof MANIFEST_CODES].severity === 'warning',
      );
      expect(result.ok).toBe(onlyWarnings);
      for (const d of [...(result.ok ? [] : result.errors), ...result.warnings]) {
        expect(d.file).toBe(`bad/${name}`);
        expect(d.message.length).toBeGreaterThan(0);
        expect(d.hint.length).toBeGreaterThan(0);
      }
    });
  }

  it('cover every code that parseManifest can raise', () => {
    const raised = new Set(
      fixtureNames('bad').flatMap((name) => expectations(fixture(`bad/${name}`)).map((e) => e.split(' ')[1])),
    );
    // A fixture over 1 MiB would bloat the repository: limits.test.ts generates that input.
    const generated = ['NS_MANIFEST_TOO_LARGE'];
    const parseCodes = Object.keys(MANIFEST_CODES).filter(
      (code) => !(FILE_CODES as readonly string[]).includes(code) && !generated.includes(code),
    );
    expect(parseCodes.filter((code) => !raised.has(code))).toEqual([]);
  });

  it('report every error of a file, not just the first', () => {
    const result = parse(fixture('bad/many-errors.yaml'));
    expect(result.ok).toBe(false);
    expect(new Set(located(result).map((l) => l.split(' ')[1])).size).toBeGreaterThanOrEqual(7);
  });
});

describe('good fixtures', () => {
  for (const name of fixtureNames('good')) {
    it(`${name} validates without errors or warnings`, () => {
      const result = parse(fixture(`good/${name}`));
      expect(located(result)).toEqual([]);
      expect(result.ok).toBe(true);
    });
  }
});
