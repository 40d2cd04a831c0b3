/** Which kind of variable a staged name is. */
export type StagedKind = 'secret' | 'config';

/**
 * Names changed with `--no-restart` whose new value the app's processes do not have yet, per app. Kept in
 * memory only: a daemon start restarts every process, so after one nothing is staged. Cleared by a deploy, a
 * rollback or a restart of all the app's processes.
 */
export class StagedChanges {
  readonly #byApp = new Map<string, Set<string>>();

  add(app: string, kind: StagedKind, names: Iterable<string>): void {
    let set = this.#byApp.get(app);
    if (set === undefined) this.#byApp.set(app, (set = new Set()));
    for (const name of names) set.add(`${kind}:${name}`);
  }

  has(app: string, kind: StagedKind, name: string): boolean {
    return this.#byApp.get(app)?.has(`${kind}:${name}`) ?? false;
  }

  /** What is staged now, to clear exactly that once a restart that began now has finished. */
  snapshot(app: string): ReadonlySet<string> {
    return new Set(this.#byApp.get(app));
  }

  /** Clears everything staged for the app, or only the entries of an earlier snapshot. */
  clear(app: string, only?: ReadonlySet<string>): void {
    if (only === undefined) {
      this.#byApp.delete(app);
      return;
    }
    const set = this.#byApp.get(app);
    for (const entry of only) set?.delete(entry);
    if (set?.size === 0) this.#byApp.delete(app);
  }
}
