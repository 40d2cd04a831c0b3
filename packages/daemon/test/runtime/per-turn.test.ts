import { describe, expect, it } from 'vitest';
import { perTurn } from '../../src/runtime/per-turn.js';

describe('perTurn', () => {
  it('computes once per key within a turn of the event loop, and again in the next turn', async () => {
    let calls = 0;
    const read = perTurn(
      (app: string) => app,
      (app: string) => ({ app, n: ++calls }),
    );
    const a = read('shop');
    expect(read('shop')).toBe(a);
    expect(read('blog')).not.toBe(a);
    expect(calls).toBe(2);
    await new Promise((r) => setImmediate(r));
    expect(read('shop')).toEqual({ app: 'shop', n: 3 });
  });

  it('does not keep a failure', () => {
    let fail = true;
    const read = perTurn(
      () => 'k',
      () => {
        if (fail) throw new Error('cannot decrypt');
        return 1;
      },
    );
    expect(() => read()).toThrow('cannot decrypt');
    fail = false;
    expect(read()).toBe(1);
  });
});
