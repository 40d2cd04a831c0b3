/**
 * One serial queue per app: every operation that changes an app (deploy, rollback, scale, stop/start, restart,
 * destroy, restore at start) runs after the earlier ones on the same app have settled, so two of them never
 * interleave their store writes and reconciles. Operations on different apps run side by side.
 */
export class AppQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` once every earlier operation on `app` has settled (fulfilled or not); answers as `fn` does. */
  run<T>(app: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(app) ?? Promise.resolve();
    const next = before.then(fn, fn);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(app, tail);
    // An idle app keeps no entry: destroyed and renamed apps would otherwise pile up for the daemon's life.
    void tail.then(() => {
      if (this.#tails.get(app) === tail) this.#tails.delete(app);
    });
    return next;
  }
}
