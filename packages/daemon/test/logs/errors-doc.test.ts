import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOG_ERROR_CODES } from '../../src/logs/index.js';

describe('docs/errors.md', () => {
  it('lists exactly the codes the log pipeline raises, in its own section', () => {
    const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Logs and drains'));
    const end = section.indexOf('\n## ', 1);
    const listed = [...(end < 0 ? section : section.slice(0, end)).matchAll(/^\| `(NS_[A-Z0-9_]+)`/gm)].map(
      (m) => m[1],
    );
    expect(listed.sort()).toEqual([...LOG_ERROR_CODES].sort());
  });
});
