import { describe, expect, it } from 'vitest';
import { startMemoryWatchdog, WATCHDOG_SAMPLES } from '../../src/cgroups/index.js';

const LIMIT = 100;

/** Runs a watchdog over scripted samples (a throw for `'throw'`) until it fires or `samples` run out. */
function watch(samples: (number | 'throw')[]): Promise<{ fired: number | null; calls: number }> {
  return new Promise((resolve) => {
    let calls = 0;
    let stop = (): void => undefined;
    const rss = (): number => {
      const next = samples[calls++];
      if (next === 'throw') throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
      if (next === undefined) {
        stop();
        resolve({ fired: null, calls });
        return 0;
      }
      return next;
    };
    stop = startMemoryWatchdog(4242, LIMIT, (at) => resolve({ fired: at, calls }), { everyMs: 2, rss });
  });
}

describe('memory watchdog (soft limits)', () => {
  it(`acts after ${WATCHDOG_SAMPLES} samples over the limit in a row, not on a spike`, async () => {
    expect(await watch([150, 50, 150, 150, 50])).toEqual({ fired: null, calls: 6 });
    expect(await watch([150, 50, 120, 130, 140, 50])).toEqual({ fired: 140, calls: 5 });
  });

  it('keeps watching through a sample that throws, which neither counts nor resets the run', async () => {
    // Thrown from its timer, the error would have ended the process (no handler catches it there).
    expect(await watch(['throw', 150, 'throw', 160, 170])).toEqual({ fired: 170, calls: 5 });
    expect(await watch(['throw', 'throw', 'throw', 50])).toEqual({ fired: null, calls: 5 });
  });
});
