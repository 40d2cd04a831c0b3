import { describe, expect, it } from 'vitest';
import { checkReplicaLimits } from '../../src/supervisor/pure/limits.js';

const limits = { perProcess: 10, perDaemon: 25 };
const codeOf = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (err) {
    return {
      code: (err as { code: string }).code,
      message: (err as Error).message,
      hint: (err as { hint: string }).hint,
    };
  }
};

describe('replica limits', () => {
  it('accepts counts up to each limit', () => {
    expect(
      codeOf(() => checkReplicaLimits('a', [{ process: 'w', count: 10 }], 15, limits, 'the manifest')),
    ).toBeNull();
  });

  it('refuses a process over its limit, autoscale max included, with the setting that raises it', () => {
    const err = codeOf(() =>
      checkReplicaLimits('a', [{ process: 'w', count: 2, max: 40 }], 0, limits, 'the manifest'),
    );
    expect(err).toMatchObject({ code: 'NS_REPLICA_LIMIT' });
    expect(err!.message).toContain('a/w: 40 replicas (from the manifest)');
    expect(err!.hint).toContain('NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS=40');
  });

  it('refuses the daemon going over its total, counting the other apps', () => {
    const err = codeOf(() =>
      checkReplicaLimits(
        'a',
        [
          { process: 'w', count: 6 },
          { process: 'v', count: 5 },
        ],
        15,
        limits,
        'scale',
      ),
    );
    expect(err!.message).toContain('26 replicas on this daemon (15 of other apps)');
    expect(err!.hint).toContain('NIGHTSHIFT_MAX_REPLICAS=26');
  });
});
