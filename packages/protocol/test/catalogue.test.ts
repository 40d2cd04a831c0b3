import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, isCodedError, NightshiftError, statusOf } from '../src/index.js';

/** Sections of docs/errors.md whose codes their own packages declare (and test): the manifest, render, SDK. */
const OTHER_CATALOGUES = ['## Manifest', '## Kubernetes render', '## Worker SDK'];

function documentedCodes(): string[] {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const sections = doc.split(/\n(?=## )/).filter((s) => !OTHER_CATALOGUES.some((h) => s.startsWith(h)));
  return sections.flatMap((s) => [...s.matchAll(/^\| `(NS_[A-Z0-9_]+)`/gm)].map((m) => m[1]!));
}

describe('the error catalogue', () => {
  it('is docs/errors.md: every declared code is documented, and every documented code is declared', () => {
    // Plain strings, to be compared with the codes read from the page.
    const declared: readonly string[] = Object.values(ERROR_CATALOGUE).map((d) => d.code);
    const documented = documentedCodes();
    expect(declared.filter((code) => !documented.includes(code))).toEqual([]);
    expect(documented.filter((code) => !declared.includes(code))).toEqual([]);
    expect(new Set(declared).size).toBe(declared.length);
    expect(new Set(documented).size).toBe(documented.length);
  });

  it("gives each code the hint docs/errors.md shows in the code's row", () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const shown = new Map<string, string>();
    // The last cell of the code's row; a `|` in it is written `\|`.
    for (const m of doc.matchAll(/^\| `(NS_[A-Z0-9_]+)` .*?(?<!\\)\|((?:\\\||[^|\n])*)\|\s*$/gm)) {
      shown.set(m[1]!, m[2]!.trim().replaceAll('\\|', '|'));
    }
    const differ = Object.values(ERROR_CATALOGUE)
      .filter((d) => shown.get(d.code) !== d.hint)
      .map((d) => ({ code: d.code, catalogue: d.hint, doc: shown.get(d.code) }));
    expect(differ).toEqual([]);
  });

  it('gives each code one status; a code it does not declare answers 400', () => {
    expect(statusOf('NS_APP_NOT_FOUND')).toBe(404);
    expect(statusOf('NS_API_LOCAL_ONLY')).toBe(403);
    expect(statusOf('NS_INTERNAL')).toBe(500);
    expect(statusOf('NS_MANIFEST_UNKNOWN_KEY')).toBe(400);
  });

  it('recognises its errors by brand, across copies, and nothing else', () => {
    expect(isCodedError(new NightshiftError('NS_USAGE', 'x'))).toBe(true);
    const otherCopy = Object.assign(new Error('x'), {
      code: 'NS_USAGE',
      [Symbol.for('nightshift.error')]: true,
    });
    expect(isCodedError(otherCopy)).toBe(true);
    expect(isCodedError(Object.assign(new Error('x'), { code: 'NS_USAGE' }))).toBe(false);
  });
});
