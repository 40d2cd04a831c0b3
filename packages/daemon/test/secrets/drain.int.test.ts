import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createDrain } from '../../src/drains/index.js';
import { httpReceiver, waitFor } from '../logs/receivers.js';
import { makeWorld, useTempDir } from './helpers.js';

const temp = useTempDir();

/**
 * Drains are not wired into the daemon yet, so this proves the acceptance point at the module level: a real
 * drain, subscribed to the log service the way the composition root will subscribe it, sending to a real HTTP
 * receiver, while the secrets service has set the app's redactor.
 */
describe('a drain of an app with secrets', () => {
  it('receives [secret:NAME] and never the value', async () => {
    const w = makeWorld(temp());
    const receiver = await httpReceiver({});
    const drain = createDrain(`loki+http://127.0.0.1:${receiver.port}`, { lingerMs: 5 });
    try {
      const url = 'postgres://shop:drain-secret-pw-77@db/shop';
      await w.secrets.set('shop', { DATABASE_URL: url }, true);
      const stop = w.logs.subscribe({ app: 'shop' }, (line) => drain.push(line));
      const pipe = new PassThrough();
      pipe.end(`worker connects to ${url}\nplain line\n`);
      await w.logs.capture({ app: 'shop', process: 'emails', source: 'emails.1' }, 'out', pipe);
      await waitFor(
        () =>
          receiver.received
            .map((r) => r.body)
            .join('')
            .includes('plain line'),
        10_000,
        'the drained batch',
      );
      stop();
      const bodies = receiver.received.map((r) => r.body).join('\n');
      expect(bodies).toContain('worker connects to [secret:DATABASE_URL]');
      expect(bodies).not.toContain('drain-secret-pw-77');
      expect(drain.stats().undelivered).toBe(0);
    } finally {
      await drain.close();
      await receiver.close();
      await w.close();
    }
  });
});
