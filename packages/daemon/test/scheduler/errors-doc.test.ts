import { readFileSync } from 'node:fs';
import { ErrorCodes } from '@nightshift/protocol';
import { describe, expect, it } from 'vitest';
import { CRON_ERROR_CODES } from '../../src/scheduler/index.js';

describe('docs/errors.md', () => {
  it('lists exactly the codes the scheduler raises, in its own section', () => {
    const doc = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Cron'));
    const end = section.indexOf('\n## ', 1);
    const listed = [...(end < 0 ? section : section.slice(0, end)).matchAll(/^\| `(NS_[A-Z0-9_]+)`/gm)].map(
      (m) => m[1],
    );
    expect(listed.sort()).toEqual([...CRON_ERROR_CODES].sort());
  });

  it('every NS_CRON code of the protocol catalogue is one the scheduler lists', () => {
    const cron = Object.values(ErrorCodes).filter((code) => code.startsWith('NS_CRON_'));
    expect(cron.sort()).toEqual([...CRON_ERROR_CODES].sort());
  });
});
