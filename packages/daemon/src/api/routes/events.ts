import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { EventEntry } from '@nightshift/protocol';
import * as store from '../../store/index.js';
import type { ApiServices } from '../services.js';

const toEntry = (e: store.EventRow): EventEntry => ({
  id: e.id,
  time: new Date(e.time).toISOString(),
  type: e.type,
  app: e.app,
  ...(e.process ? { process: e.process } : {}),
  ...(e.replica ? { replica: e.replica } : {}),
  message: e.message,
  data: e.data,
});

export function eventRoutes(s: ApiServices): Hono {
  const r = new Hono();

  const list = (app: string | undefined, limitParam: string | undefined) => {
    const limit = Math.min(Math.max(Number(limitParam ?? 50) || 50, 1), 10_000);
    return store.listEvents(s.db, { ...(app ? { app } : {}), limit }).map(toEntry);
  };
  r.get('/events', (c) => c.json(list(c.req.query('app'), c.req.query('n'))));
  r.get('/apps/:app/events', (c) => c.json(list(c.req.param('app'), c.req.query('n'))));

  // Server-Sent Events; a reconnecting client sends Last-Event-ID and gets what it missed first.
  r.get('/apps/:app/events/stream', (c) => {
    const app = c.req.param('app');
    const lastId = Number(c.req.header('last-event-id') ?? c.req.query('after') ?? NaN);
    return streamSSE(c, async (stream) => {
      let cursor = Number.isFinite(lastId) ? lastId : (store.listEvents(s.db, { app, limit: 1 })[0]?.id ?? 0);
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
          for (const e of store.listEvents(s.db, { app, afterId: cursor, limit: 500 })) {
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
  return r;
}
