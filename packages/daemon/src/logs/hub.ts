import type { LogFilter, LogLine, LogStream } from './types.js';

/** Receives live lines synchronously; it must not block (queue elsewhere, bounded). */
export type LogListener = (line: LogLine) => void;

interface Subscription {
  readonly filter: LogFilter;
  readonly listener: LogListener;
}

/** True when the line's attributes pass the filter. */
export function matches(filter: LogFilter, process: string, source: string, stream: LogStream): boolean {
  return (
    (filter.process === undefined || filter.process === process) &&
    (filter.source === undefined || filter.source === source) &&
    (filter.stream === undefined || filter.stream === stream)
  );
}

/**
 * Live subscribers per app. Captures ask `listenersFor` once per chunk (cached by `version`), so an app with
 * nobody listening costs the hot path one comparison and no line objects.
 */
export class Hub {
  /** Bumped on every subscribe and unsubscribe. */
  version = 0;
  readonly #byApp = new Map<string, Set<Subscription>>();

  subscribe(filter: LogFilter, listener: LogListener): () => void {
    // A capture caches its listeners for the rest of a chunk: the guard keeps an unsubscribed one silent.
    let active = true;
    const subscription: Subscription = { filter, listener: (line) => active && listener(line) };
    let set = this.#byApp.get(filter.app);
    if (set === undefined) this.#byApp.set(filter.app, (set = new Set()));
    set.add(subscription);
    this.version++;
    return () => {
      active = false;
      if (set.delete(subscription)) this.version++;
      if (set.size === 0 && this.#byApp.get(filter.app) === set) this.#byApp.delete(filter.app);
    };
  }

  /** The listeners a capture with these attributes feeds; null when none. */
  listenersFor(app: string, process: string, source: string, stream: LogStream): LogListener[] | null {
    const set = this.#byApp.get(app);
    if (set === undefined) return null;
    const out: LogListener[] = [];
    for (const { filter, listener } of set) if (matches(filter, process, source, stream)) out.push(listener);
    return out.length > 0 ? out : null;
  }

  /** Forgets every subscriber of an app. */
  dropApp(app: string): void {
    if (this.#byApp.delete(app)) this.version++;
  }
}
