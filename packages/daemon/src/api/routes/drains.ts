import { Hono } from 'hono';
import type { ApiServices } from '../services.js';
import { readJson } from '../validate.js';

export function drainRoutes(s: ApiServices): Hono {
  const r = new Hono();
  r.get('/apps/:app/drains', (c) => c.json(s.drains.list(c.req.param('app'))));
  r.post('/apps/:app/drains', async (c) => {
    const body = await readJson<{ url: string }>(c, (b) => typeof b.url === 'string', '{ "url": "syslog+tls://logs.example.com:6514" }');
    return c.json(s.drains.add(c.req.param('app'), body.url), 201);
  });
  r.delete('/apps/:app/drains/:id', async (c) => {
    await s.drains.remove(c.req.param('app'), Number(c.req.param('id')));
    return c.json({ removed: Number(c.req.param('id')) });
  });
  return r;
}
