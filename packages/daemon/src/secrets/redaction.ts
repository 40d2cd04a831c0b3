import type { Redactor } from '../logs/index.js';
import * as store from '../store/index.js';
import { open } from './crypto.js';
import type { Keyring } from './keyring.js';
import { secretRedactor } from './redactor.js';

/** Values replaced or removed that processes may still print, kept redacted; per app, oldest dropped first. */
const RETIRED_PER_APP = 64;

/**
 * Keeps each app's log redactor current: every stored value of the app (listed in its manifest or not) and
 * the values replaced or removed while the daemon runs, which processes that did not restart may still print.
 */
export class SecretRedaction {
  readonly #retired = new Map<string, [name: string, value: string][]>();
  readonly #db: store.Db;
  readonly #ring: () => Keyring;
  readonly #setRedactor: (app: string, redactor: Redactor | null) => void;
  readonly #onError: (err: unknown) => void;

  constructor(deps: {
    db: store.Db;
    ring: () => Keyring;
    setRedactor: (app: string, redactor: Redactor | null) => void;
    onError: (err: unknown) => void;
  }) {
    this.#db = deps.db;
    this.#ring = deps.ring;
    this.#setRedactor = deps.setRedactor;
    this.#onError = deps.onError;
  }

  /** The current values of the named secrets that exist and decrypt (failures are reported). */
  decryptable(app: string, names: readonly string[]): [string, string][] {
    const wanted = new Set(names);
    const out: [string, string][] = [];
    for (const row of store.listSecrets(this.#db, app)) {
      if (!wanted.has(row.name)) continue;
      try {
        out.push([row.name, open(this.#ring().keys, app, row.name, row)]);
      } catch (err) {
        this.#onError(err);
      }
    }
    return out;
  }

  /** Values no longer stored that stay redacted. */
  retire(app: string, entries: [string, string][]): void {
    if (entries.length === 0) return;
    const list = [...(this.#retired.get(app) ?? []), ...entries];
    this.#retired.set(app, list.slice(-RETIRED_PER_APP));
  }

  /** Replaces the app's redactor with one over its current and retired values. */
  refresh(app: string): void {
    const current = this.decryptable(
      app,
      store.listSecrets(this.#db, app).map((row) => row.name),
    );
    this.#setRedactor(app, secretRedactor([...current, ...(this.#retired.get(app) ?? [])]));
  }

  forget(app: string): void {
    this.#retired.delete(app);
  }
}
