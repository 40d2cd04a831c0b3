import { Hono } from 'hono';
import type { ApiServices } from '../services.js';

export function daemonRoutes(s: ApiServices): Hono {
  const r = new Hono();
  r.get('/daemon', (c) => c.json(s.info()));
  r.post('/daemon/stop', (c) => {
    s.requestStop();
    return c.json({ stopping: true }, 202);
  });
  return r;
}
