import type { AppSpec } from '@nightshift/manifest';
import {
  ErrorCodes,
  NightshiftError,
  type ConfigEntry,
  type RotateKeyResponse,
  type SecretEntry,
  type VarsChangeResponse,
} from '@nightshift/protocol';
import type { EventBus } from '../events/index.js';
import type { Redactor } from '../logs/index.js';
import type { Clock } from '../runtime/clock.js';
import * as store from '../store/index.js';
import { digestOf, open, seal } from './crypto.js';
import { rotateKeyring, type Keyring } from './keyring.js';
import { REDACT_MIN_LENGTH, secretRedactor } from './redactor.js';
import { applyChange, conflict, statusOf, type ChangeContext } from './changes.js';
import { configVars, listConfig, setConfig, unsetConfig } from './config-vars.js';
import { StagedChanges } from './staged.js';
import { checkName, checkValue } from './validate.js';

export interface SecretsDeps {
  readonly db: store.Db;
  readonly clock: Clock;
  readonly bus: EventBus;
  /** The log pipeline: each app's redactor is replaced at start and after every change. */
  readonly logs: { setRedactor(app: string, redactor: Redactor | null): void };
  /** `<home>/master.key`: where a rotation writes the new key. */
  readonly keyFile: string;
  /**
   * The master key (`openKeyring`), asked for on first use: opened at start when there is something to check
   * (`keyringNeededAtStart`), else when the first secret is stored.
   */
  readonly keyring: () => Keyring;
  /** The manifest of the app's live release, or null when it runs nothing. */
  readonly liveSpec: (app: string) => AppSpec | null;
  /** Restarts every process of a running app, one replica at a time, after its other operations. */
  readonly restart: (app: string) => Promise<void>;
  readonly onError: (err: unknown) => void;
}

/** Values replaced or removed that processes may still print, kept redacted; per app, oldest dropped first. */
const RETIRED_PER_APP = 64;

/**
 * Config vars and encrypted secrets of every app: writes (validated, encrypted, redaction updated, processes
 * restarted or the change staged), reads for the environment builder, the deploy check and key rotation.
 * Identity: one per daemon, holding the master key's derived keys and what is staged. `close` unsubscribes.
 */
export class SecretsService {
  readonly #deps: SecretsDeps;
  #keyring: Keyring | null = null;
  readonly #staged = new StagedChanges();
  readonly #retired = new Map<string, [name: string, value: string][]>();
  readonly #unsubscribe: () => void;
  readonly #changes: ChangeContext;

  constructor(deps: SecretsDeps) {
    this.#deps = deps;
    this.#changes = {
      db: deps.db,
      bus: deps.bus,
      liveSpec: deps.liveSpec,
      restart: deps.restart,
      staged: this.#staged,
    };
    // Every process of an app starts again with the current values on these.
    this.#unsubscribe = deps.bus.subscribe((event) => {
      const whole =
        event.type === 'deploy:finished' ||
        event.type === 'rollback' ||
        (event.type === 'process:restarted' && event.process === undefined);
      if (whole) this.#staged.clear(event.app);
    });
    for (const app of store.listSecretApps(deps.db)) this.#refreshRedactor(app);
  }

  /** node:crypto and the key file are touched only from here: a daemon that never stores a secret loads neither. */
  #ring(): Keyring {
    return (this.#keyring ??= this.#deps.keyring());
  }

  close(): void {
    this.#unsubscribe();
  }

  /** Names, keyed digests, times and status of an app's secrets; never a value. */
  list(app: string): SecretEntry[] {
    const spec = this.#deps.liveSpec(app);
    return store.listSecrets(this.#deps.db, app).map((row) => ({
      name: row.name,
      digest: row.digest,
      createdAt: new Date(row.createdAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
      status:
        spec !== null && !spec.secrets.includes(row.name)
          ? 'unused'
          : statusOf(this.#staged, app, 'secret', spec, row.name),
    }));
  }

  /**
   * The decrypted values of the named secrets of an app (names it does not hold are left out): for the
   * environment of its processes and of `nightshift run` only. Throws `NS_SECRET_DECRYPT_FAILED` for a value
   * that fails authentication.
   */
  values(app: string, names: readonly string[]): Record<string, string> {
    const wanted = new Set(names);
    const out: Record<string, string> = {};
    for (const row of store.listSecrets(this.#deps.db, app)) {
      if (wanted.has(row.name)) out[row.name] = open(this.#ring().keys, app, row.name, row);
    }
    return out;
  }

  /**
   * At daemon start, before an app's processes start: true when every secret its release lists decrypts (a
   * missing one is not checked here: only `secrets rm --force` removes one, and deploys refuse it). Otherwise
   * the failure goes to the daemon's log and a `secrets:unreadable` event, and the app is not started.
   */
  readable(spec: AppSpec): boolean {
    try {
      this.values(spec.name, spec.secrets);
      return true;
    } catch (err) {
      this.#deps.onError(err);
      const message = err instanceof Error ? err.message : String(err);
      this.#deps.bus.emit({
        type: 'secrets:unreadable',
        app: spec.name,
        message: `${spec.name} not started: ${message}`,
        data: { code: (err as { code?: string }).code ?? 'NS_INTERNAL', error: message },
      });
      return false;
    }
  }

  /** An app's config vars as its processes get them. */
  configVars(app: string): Record<string, string> {
    return configVars(this.#deps.db, app);
  }

  listConfig(app: string): ConfigEntry[] {
    return listConfig(this.#changes, app);
  }

  setConfig(
    app: string,
    values: Readonly<Record<string, string>>,
    restart: boolean,
  ): Promise<VarsChangeResponse> {
    return setConfig({ ...this.#changes, clock: this.#deps.clock }, app, values, restart);
  }

  unsetConfig(app: string, names: readonly string[], restart: boolean): Promise<VarsChangeResponse> {
    return unsetConfig(this.#changes, app, names, restart);
  }

  /**
   * The deploy check (before anything is built): every secret the manifest lists exists and decrypts, and no
   * name is both a secret and a config var. Names every missing secret at once.
   */
  preflight(spec: AppSpec): void {
    const app = spec.name;
    const stored = new Set(store.listSecrets(this.#deps.db, app).map((row) => row.name));
    const missing = spec.secrets.filter((name) => !stored.has(name));
    if (missing.length > 0) {
      throw new NightshiftError(
        ErrorCodes.deploySecretsMissing,
        `${app}'s manifest lists ${missing.length === 1 ? 'a secret' : 'secrets'} the store does not have: ${missing.join(', ')}`,
        `set ${missing.length === 1 ? 'it' : 'each'} with \`nightshift secrets set ${missing.length === 1 ? missing[0] : 'NAME'} --app ${app}\` (the value on stdin), then deploy again`,
      );
    }
    const config = store.listConfigVars(this.#deps.db, app).map((row) => row.name);
    const both = config.filter((name) => stored.has(name) || spec.secrets.includes(name));
    if (both.length > 0) throw conflict(app, both, 'config');
    for (const name of config) checkName('config', name, spec.redis);
    this.values(app, spec.secrets);
  }

  /** Sets secrets (validated, encrypted), then restarts the processes that receive them or stages the change. */
  async set(
    app: string,
    values: Readonly<Record<string, string>>,
    restart: boolean,
  ): Promise<VarsChangeResponse> {
    const spec = this.#deps.liveSpec(app);
    const names = Object.keys(values).sort();
    const config = new Set(store.listConfigVars(this.#deps.db, app).map((row) => row.name));
    for (const name of names) {
      checkName('secret', name, spec?.redis ?? false);
      checkValue('secret', name, values[name]!);
    }
    const both = names.filter((name) => config.has(name));
    if (both.length > 0) throw conflict(app, both, 'secret');
    const now = this.#deps.clock.now();
    const keys = this.#ring().keys;
    const replaced = this.#decryptable(app, names);
    store.transaction(this.#deps.db, () => {
      for (const name of names) {
        const value = values[name]!;
        store.upsertSecret(
          this.#deps.db,
          { app, name, ...seal(keys, app, name, value), digest: digestOf(keys, value) },
          now,
        );
      }
    });
    this.#retire(
      app,
      replaced.filter(([name, old]) => old !== values[name]),
    );
    this.#refreshRedactor(app);
    const warnings = names
      .filter((name) => values[name]!.length < REDACT_MIN_LENGTH)
      .map(
        (name) =>
          `${name} has fewer than ${REDACT_MIN_LENGTH} characters: logs cannot redact a value that short`,
      );
    if (spec !== null) {
      for (const name of names.filter((n) => !spec.secrets.includes(n))) {
        warnings.push(
          `${name} is not listed in the \`secrets:\` of ${app}'s manifest, so no process receives it: add it there and deploy`,
        );
      }
    }
    const injected = spec === null ? [] : names.filter((name) => spec.secrets.includes(name));
    return applyChange(this.#changes, {
      app,
      kind: 'secret',
      action: 'set',
      names,
      injected,
      restart,
      warnings,
    });
  }

  /** Removes secrets; one the live release lists needs `force` (its processes lose it, the next deploy fails). */
  async remove(
    app: string,
    names: readonly string[],
    opts: { restart: boolean; force: boolean },
  ): Promise<VarsChangeResponse> {
    const spec = this.#deps.liveSpec(app);
    const stored = new Set(store.listSecrets(this.#deps.db, app).map((row) => row.name));
    const unknown = names.filter((name) => !stored.has(name));
    if (unknown.length > 0) {
      throw new NightshiftError(
        ErrorCodes.secretNotFound,
        `${app} has no secret ${unknown.join(', ')}; nothing was removed`,
        stored.size > 0 ? `its secrets are: ${[...stored].join(', ')}` : `${app} has no secrets`,
      );
    }
    const listed = spec === null ? [] : names.filter((name) => spec.secrets.includes(name));
    if (listed.length > 0 && !opts.force) {
      throw new NightshiftError(
        ErrorCodes.secretInUse,
        `the live release of ${app} lists ${listed.join(', ')} in \`secrets:\`; nothing was removed`,
        'remove the name from the manifest and deploy first, or pass --force (its processes lose the value and the next deploy fails until it is set again)',
      );
    }
    const removed = this.#decryptable(app, names);
    store.transaction(this.#deps.db, () => {
      for (const name of names) store.deleteSecret(this.#deps.db, app, name);
    });
    this.#retire(app, removed);
    this.#refreshRedactor(app);
    return applyChange(this.#changes, {
      app,
      kind: 'secret',
      action: 'removed',
      names: [...names].sort(),
      injected: listed,
      restart: opts.restart,
      warnings: [],
    });
  }

  /** Re-encrypts every secret of every app under a new master key (see `rotateKeyring`). */
  rotateKey(): RotateKeyResponse {
    const previous = this.#ring().keys.fingerprint;
    const { keyring, count, renameError } = rotateKeyring(
      this.#deps.db,
      this.#deps.keyFile,
      this.#ring(),
      this.#deps.clock.now(),
    );
    this.#keyring = keyring;
    if (renameError !== null) this.#deps.onError(renameError);
    const fingerprint = keyring.keys.fingerprint;
    this.#deps.bus.emit({
      type: 'secrets:key-rotated',
      app: '',
      message: `master key rotated: ${count} secret${count === 1 ? '' : 's'} re-encrypted (key ${previous} → ${fingerprint})`,
      data: { secrets: count, fingerprint, previous },
    });
    return { previous, fingerprint, secrets: count };
  }

  /** Forgets an app's secrets and config vars (`apps destroy`). */
  forgetApp(app: string): void {
    store.transaction(this.#deps.db, () => {
      store.deleteAppSecrets(this.#deps.db, app);
      store.deleteAppConfigVars(this.#deps.db, app);
    });
    this.#staged.clear(app);
    this.#retired.delete(app);
  }

  /** The current values of the named secrets that exist and decrypt (for redaction; failures are reported). */
  #decryptable(app: string, names: readonly string[]): [string, string][] {
    const wanted = new Set(names);
    const out: [string, string][] = [];
    for (const row of store.listSecrets(this.#deps.db, app)) {
      if (!wanted.has(row.name)) continue;
      try {
        out.push([row.name, open(this.#ring().keys, app, row.name, row)]);
      } catch (err) {
        this.#deps.onError(err);
      }
    }
    return out;
  }

  #retire(app: string, entries: [string, string][]): void {
    if (entries.length === 0) return;
    const list = [...(this.#retired.get(app) ?? []), ...entries];
    this.#retired.set(app, list.slice(-RETIRED_PER_APP));
  }

  /** Every value of the app (listed in its manifest or not) and its retired values go into its log redactor. */
  #refreshRedactor(app: string): void {
    const current = this.#decryptable(
      app,
      store.listSecrets(this.#deps.db, app).map((row) => row.name),
    );
    this.#deps.logs.setRedactor(app, secretRedactor([...current, ...(this.#retired.get(app) ?? [])]));
  }
}
