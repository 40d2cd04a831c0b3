import type { DaemonEvent, EventType } from './types.js';

type Listener = (event: DaemonEvent, id: number) => void;

/**
 * The typed event spine. `emit` first runs the recorder (which stores the event and returns its id), then every
 * subscriber; a throwing subscriber never breaks the emitter.
 */
export class EventBus {
  #listeners = new Set<Listener>();
  #record: (event: DaemonEvent) => number;
  #onListenerError: (err: unknown) => void;

  constructor(record: (event: DaemonEvent) => number, onListenerError: (err: unknown) => void) {
    this.#record = record;
    this.#onListenerError = onListenerError;
  }

  emit<T extends EventType>(event: DaemonEvent<T>): number {
    const id = this.#record(event);
    for (const listener of this.#listeners) {
      try {
        listener(event, id);
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
