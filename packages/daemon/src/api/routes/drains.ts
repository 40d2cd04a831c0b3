import type { Router } from '../http/router.js';
import type { ApiServices } from '../services.js';
import { readJson } from '../validate.js';

export function drainRoutes(r: Router, s: ApiServices): void {
  r.get('/apps/:app/drains', (c) => c.json(s.drains.list(c.param('app'))));
  r.post('/apps/:app/drains', async (c) => {
    const body = await readJson<{ url: string }>(
      c,
      (b) => typeof b.url === 'string',
      '{ "url": "syslog+tls://logs.example.com:6514" }',
    );
    return c.json(s.drains.add(c.param('app'), body.url), 201);
  });
  r.delete('/apps/:app/drains/:id', async (c) => {
    await s.drains.remove(c.param('app'), Number(c.param('id')));
    return c.json({ removed: Number(c.param('id')) });
  });
}
