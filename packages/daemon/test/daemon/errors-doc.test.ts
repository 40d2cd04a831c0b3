import { readFileSync } from 'node:fs';
import { ErrorCodes } from '@nightshift/protocol';
import { describe, expect, it } from 'vitest';

describe('docs/errors.md', () => {
  it('lists every NS_DAEMON_* code in its Daemon section', () => {
    const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Daemon'));
    const end = section.indexOf('\n## ', 1);
    const listed = [...(end < 0 ? section : section.slice(0, end)).matchAll(/^\| `(NS_[A-Z0-9_]+)`/gm)].map(
      (m) => m[1],
    );
    const daemonCodes = Object.values(ErrorCodes).filter((code) => code.startsWith('NS_DAEMON_'));
    expect(daemonCodes.filter((code) => !listed.includes(code))).toEqual([]);
  });
});
