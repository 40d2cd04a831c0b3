import type { EventType } from './types.js';

/**
 * Repeated events fold into one timeline entry (`×N`). A crash loop at a 1 ms backoff, or thousands of
 * replicas failing the same way, otherwise write an event per try: the timeline becomes unreadable and the
 * state database grows by megabytes a minute. Only these types fold: each deploy, scale or stop stays an
 * entry of its own.
 */
const FOLDING: ReadonlySet<string> = new Set<EventType>([
  'replica:crashed',
  'replica:spawn-failed',
  'replica:started',
]);

/** An entry folds repeats for at most this long after its first event; then a new entry starts. */
export const COALESCE_WINDOW_MS = 60_000;

interface Foldable {
  readonly type: string;
  readonly app: string;
  readonly process?: string | undefined;
  readonly message: string;
  readonly data?: unknown;
}

/**
 * What makes two events "the same": type, app, process and the message with its varying numbers (replica
 * index, pid, milliseconds) blanked — exit codes and release numbers kept, so `exit code 1` and `exit code
 * 137` stay apart.
 */
export function signatureOf(e: Foldable): string | null {
  if (!FOLDING.has(e.type)) return null;
  // A start is only a repeat inside a crash loop; a deploy's or a restart's starts each stay visible.
  if (e.type === 'replica:started' && (e.data as { afterCrash?: boolean } | undefined)?.afterCrash !== true)
    return null;
  const text = e.message.replace(/(?<!code |\bv)\d+/g, '#');
  return `${e.type}\u0000${e.app}\u0000${e.process ?? ''}\u0000${text}`;
}

/** Which open timeline entry a new event folds into. */
export class Coalescer {
  #open = new Map<string, { id: number; first: number }>();
  readonly #windowMs: number;

  constructor(windowMs = COALESCE_WINDOW_MS) {
    this.#windowMs = windowMs;
  }

  /** The id of the entry `e` folds into, or null when it needs an entry of its own. */
  match(e: Foldable, now: number): number | null {
    const key = signatureOf(e);
    if (key === null) return null;
    const open = this.#open.get(key);
    if (!open) return null;
    if (now - open.first >= this.#windowMs || now < open.first) {
      this.#open.delete(key);
      return null;
    }
    return open.id;
  }

  /** Records that `e` got entry `id`, so that its repeats fold into it. */
  opened(e: Foldable, id: number, now: number): void {
    const key = signatureOf(e);
    if (key === null) return;
    // Old keys of apps that went quiet would otherwise stay for the daemon's life.
    if (this.#open.size > 10_000) this.#open.clear();
    this.#open.set(key, { id, first: now });
  }
}
