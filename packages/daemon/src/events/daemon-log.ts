import type { EventBus } from './bus.js';

/**
 * Writes events to the daemon's own log. A crash loop would fill it as it did the timeline: of a folded run
 * of repeats, every 100th is enough. Returns the unsubscribe.
 */
export function logEvents(bus: EventBus, log: (line: string) => void): () => void {
  return bus.subscribe((e, _id, repeat) => {
    if (repeat % 100 !== 0) return;
    log(
      `${e.type} ${e.app}${e.replica ? `/${e.replica}` : ''}: ${e.message}${repeat ? ` (×${repeat + 1})` : ''}`,
    );
  });
}
