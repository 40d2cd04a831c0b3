import { describe, expect, it } from 'vitest';
import { Coalescer, signatureOf } from '../../src/events/coalesce.js';

const crash = (replica: string, code: number, ms: number) => ({
  type: 'replica:crashed',
  app: 'shop',
  process: 'emails',
  message: `${replica} crashed (exit code ${code}) after ${ms} ms; restarting in ${ms * 2} ms`,
});

describe('folding repeated events', () => {
  it('treats crashes of any replica with the same exit code as one kind; other codes stay apart', () => {
    expect(signatureOf(crash('emails.1', 1, 5))).toBe(signatureOf(crash('emails.7', 1, 900)));
    expect(signatureOf(crash('emails.1', 1, 5))).not.toBe(signatureOf(crash('emails.1', 137, 5)));
  });

  it('folds starts only inside a crash loop, and never deploys or scaling', () => {
    const start = (afterCrash: boolean) => ({
      type: 'replica:started',
      app: 'a',
      message: 'w.1 started (pid 12, v3)',
      data: { afterCrash },
    });
    expect(signatureOf(start(false))).toBeNull();
    expect(signatureOf(start(true))).not.toBeNull();
    expect(signatureOf({ type: 'process:scaled', app: 'a', message: 'w scaled 1 → 2' })).toBeNull();
  });

  it('folds within the window after the first event, then opens a new entry', () => {
    const c = new Coalescer(60_000);
    expect(c.match(crash('emails.1', 1, 5), 1_000)).toBeNull();
    c.opened(crash('emails.1', 1, 5), 42, 1_000);
    expect(c.match(crash('emails.2', 1, 8), 30_000)).toBe(42);
    expect(c.match(crash('emails.2', 2, 8), 30_000)).toBeNull();
    expect(c.match(crash('emails.2', 1, 8), 61_000)).toBeNull();
    // A wall clock set back does not keep folding into an entry "from the future".
    c.opened(crash('emails.1', 1, 5), 43, 100_000);
    expect(c.match(crash('emails.1', 1, 5), 50_000)).toBeNull();
  });
});
