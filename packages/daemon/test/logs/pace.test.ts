import { describe, expect, it } from 'vitest';
import { ReadPace } from '../../src/logs/pace.js';

describe('ReadPace', () => {
  it('is busy while the pipes are read at flood rate, and calms down half a second after', async () => {
    const pace = new ReadPace();
    expect(pace.busy()).toBe(false);
    pace.add(64 * 1024);
    expect(pace.busy()).toBe(false); // ordinary logging
    for (let i = 0; i < 50; i++) pace.add(64 * 1024); // 3.3 MB at once
    expect(pace.busy()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(pace.busy()).toBe(false);
  });
});
