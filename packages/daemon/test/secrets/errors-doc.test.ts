import { readFileSync } from 'node:fs';
import { ErrorCodes } from '@nightshift/protocol';
import { describe, expect, it } from 'vitest';
import { SECRETS_ERROR_CODES } from '../../src/secrets/index.js';

describe('docs/errors.md', () => {
  it('lists exactly the codes of config vars and secrets, in their own section, each in the protocol catalogue', () => {
    const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Config vars and secrets'));
    const end = section.indexOf('\n## ', 1);
    const listed = [...(end < 0 ? section : section.slice(0, end)).matchAll(/^\| `(NS_[A-Z0-9_]+)`/gm)].map(
      (m) => m[1],
    );
    expect(listed.sort()).toEqual([...SECRETS_ERROR_CODES].sort());
    const catalogue = new Set<string>(Object.values(ErrorCodes));
    expect(SECRETS_ERROR_CODES.filter((code) => !catalogue.has(code))).toEqual([]);
  });
});
