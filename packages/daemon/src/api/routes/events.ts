import type { Router } from '../http/router.js';
import { sendSse } from '../http/stream.js';
import type { EventEntry } from '@nightshift/protocol';
import type { EventRow } from '../../store/index.js';
import type { ApiServices } from '../services.js';

const toEntry = (e: EventRow): EventEntry => ({
  id: e.id,
  time: new Date(e.time).toISOString(),
  type: e.type,
  app: e.app,
  ...(e.process ? { process: e.process } : {}),
  ...(e.replica ? { replica: e.replica } : {}),
  message: e.message,
  data: e.data,
  ...(e.count > 1 ? { count: e.count, lastTime: new Date(e.lastTime ?? e.time).toISOString() } : {}),
});

export function eventRoutes(r: Router, s: ApiServices): void {
  const list = (app: string | undefined, limitParam: string | undefined) => {
    const limit = Math.min(Math.max(Number(limitParam ?? 50) || 50, 1), 10_000);
    return s.timeline.list({ ...(app ? { app } : {}), limit }).map(toEntry);
  };
  r.get('/events', (c) => c.json(list(c.query('app'), c.query('n'))));
  r.get('/apps/:app/events', (c) => c.json(list(c.param('app'), c.query('n'))));

  // Server-Sent Events; a reconnecting client sends Last-Event-ID and gets what it missed first.
  r.get('/apps/:app/events/stream', (c) => {
    const app = c.param('app');
    const lastId = Number(c.header('last-event-id') ?? c.query('after') ?? NaN);
    return sendSse(c, async (stream) => {
      let cursor = Number.isFinite(lastId) ? lastId : (s.timeline.list({ app, limit: 1 })[0]?.id ?? 0);
      let wake: (() => void) | null = null;
      const unsubscribe = s.bus.subscribe((event) => {
        if (event.app === app) wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        while (!stream.aborted) {
          for (const e of s.timeline.list({ app, afterId: cursor, limit: 500 })) {
            await stream.writeSSE({ id: String(e.id), event: 'event', data: JSON.stringify(toEntry(e)) });
            cursor = e.id;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 15_000).unref();
          });
          wake = null;
          if (!stream.aborted) await stream.writeSSE({ event: 'ping', data: '' });
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
