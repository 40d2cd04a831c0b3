import { describe, expect, it } from 'vitest';
import { AppQueue } from '../../src/apps/queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('AppQueue', () => {
  it('runs one app’s operations one at a time, in order, and other apps’ side by side', async () => {
    const q = new AppQueue();
    const log: string[] = [];
    const op = (name: string) => async () => {
      log.push(`${name}:start`);
      await tick();
      log.push(`${name}:end`);
      return name;
    };
    const results = await Promise.all([
      q.run('shop', op('a')),
      q.run('shop', op('b')),
      q.run('blog', op('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log.indexOf('a:end')).toBeLessThan(log.indexOf('b:start'));
    expect(log.indexOf('c:start')).toBeLessThan(log.indexOf('a:end'));
  });

  it('goes on after a failed operation, which still rejects for its caller', async () => {
    const q = new AppQueue();
    const failed = q.run('shop', () => Promise.reject(new Error('build failed')));
    const next = q.run('shop', () => Promise.resolve('scaled'));
    await expect(failed).rejects.toThrow('build failed');
    await expect(next).resolves.toBe('scaled');
  });
});
