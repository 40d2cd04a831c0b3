import { describe, expect, it } from 'vitest';
import { toWords } from '../../src/logs/record.js';

describe('toWords', () => {
  it('packs bytes into little-endian 32-bit words, the last one zero-padded, for every length', () => {
    for (let n = 0; n <= 13; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + 200) & 0xff)); // high bits set too
      const padded = Buffer.concat([bytes, Buffer.alloc((4 - (n % 4)) % 4)]);
      const expected = Array.from({ length: padded.length / 4 }, (_, k) => padded.readInt32LE(4 * k));
      expect([...toWords(bytes)]).toEqual(expected);
    }
  });
});
