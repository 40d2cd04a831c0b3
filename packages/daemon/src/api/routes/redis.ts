import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { Router } from '../http/router.js';
import type { ApiServices } from '../services.js';
import { readJson } from '../validate.js';

/** An app's share of the Redis: info, flush (its keys only, confirmed by name), password rotation. */
export function redisRoutes(r: Router, s: ApiServices): void {
  r.get('/apps/:app/redis', async (c) => c.json(await s.apps.redisInfo(s.apps.known(c.param('app')))));

  r.post('/apps/:app/redis/flush', async (c) => {
    const app = s.apps.known(c.param('app'));
    const body = await readJson<{ confirm: string }>(
      c,
      (b) => typeof b.confirm === 'string',
      '{ "confirm": "shop" }',
    );
    if (body.confirm !== app) {
      throw new NightshiftError(
        ErrorCodes.confirmMismatch,
        `"${body.confirm}" is not "${app}"; nothing was flushed`,
        `pass --confirm ${app}`,
      );
    }
    return c.json({ app, keys: await s.apps.flushRedis(app) });
  });

  r.post('/apps/:app/redis/rotate', async (c) => {
    const app = s.apps.known(c.param('app'));
    await s.apps.rotateRedis(app);
    return c.json({ app });
  });
}
