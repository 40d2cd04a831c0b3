import type { DaemonEvent, EventType } from './types.js';

/** `repeat` is 0 for an event with a timeline entry of its own, N when it folded into an entry as its N-th repeat. */
type Listener = (event: DaemonEvent, id: number, repeat: number) => void;

/** What the recorder did with an event: its entry, and which repeat of that entry it was (0: a new one). */
export type Recorded = number | { readonly id: number; readonly repeat: number };

/**
 * The typed event spine. `emit` first runs the recorder (which stores the event and returns its id), then every
 * subscriber; a throwing subscriber never breaks the emitter.
 */
export class EventBus {
  #listeners = new Set<Listener>();
  #record: (event: DaemonEvent) => Recorded;
  #onListenerError: (err: unknown) => void;

  constructor(record: (event: DaemonEvent) => Recorded, onListenerError: (err: unknown) => void) {
    this.#record = record;
    this.#onListenerError = onListenerError;
  }

  emit<T extends EventType>(event: DaemonEvent<T>): number {
    const recorded = this.#record(event);
    const { id, repeat } = typeof recorded === 'number' ? { id: recorded, repeat: 0 } : recorded;
    for (const listener of this.#listeners) {
      try {
        listener(event, id, repeat);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
    return id;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
