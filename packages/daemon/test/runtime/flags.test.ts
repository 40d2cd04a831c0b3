import { describe, expect, it } from 'vitest';
import { acceptedFlags, DAEMON_FLAGS, withDaemonEnv } from '../../src/flags.js';

describe("the daemon's flags", () => {
  it('are all accepted by this Node', () => {
    expect(acceptedFlags(DAEMON_FLAGS, process.allowedNodeEnvironmentFlags)).toEqual(DAEMON_FLAGS);
  });

  it('skip a flag this Node does not know instead of making `node` exit at start', () => {
    const accepted = new Set(['--max-semi-space-size', '--expose-gc']);
    expect(acceptedFlags(['--max-semi-space-size=1', '--no-such-v8-flag', '--expose-gc'], accepted)).toEqual([
      '--max-semi-space-size=1',
      '--expose-gc',
    ]);
  });

  it("add MALLOC_ARENA_MAX to the daemon's environment unless the operator set it", () => {
    expect(withDaemonEnv({ PATH: '/bin' })).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2' });
    expect(withDaemonEnv({ MALLOC_ARENA_MAX: '4' })).toEqual({ MALLOC_ARENA_MAX: '4' });
  });
});
