import type { Router } from '../http/router.js';
import type { ApiServices } from '../services.js';

export function daemonRoutes(r: Router, s: ApiServices): void {
  r.get('/daemon', (c) => c.json(s.info()));
  r.post('/daemon/stop', (c) => {
    s.requestStop();
    return c.json({ stopping: true }, 202);
  });
}
