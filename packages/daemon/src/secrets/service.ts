import type { AppSpec } from '@nightshift/manifest';
import type { ConfigEntry, RotateKeyResponse, SecretEntry, VarsChangeResponse } from '@nightshift/protocol';
import type { EventBus } from '../events/index.js';
import type { Redactor } from '../logs/index.js';
import type { Clock } from '../runtime/clock.js';
import * as store from '../store/index.js';
import { configVars, listConfig, setConfig, unsetConfig } from './config-vars.js';
import type { SecretsContext } from './context.js';
import type { Keyring } from './keyring.js';
import { secretsPreflight } from './preflight.js';
import { platformSecret, setPlatformSecret } from './platform.js';
import { listSecrets, secretsReadable, secretValues } from './reads.js';
import { SecretRedaction } from './redaction.js';
import { rotateKey } from './rotate.js';
import { clearStagedOnWholeRestart } from './staged-clear.js';
import { StagedChanges } from './staged.js';
import { removeSecrets, setSecrets } from './writes.js';

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
  /** Throws when the live release could not start with the app's stored vars (see ChangeContext). */
  readonly checkEnvironment: (app: string) => void;
  readonly onError: (err: unknown) => void;
}

/**
 * Config vars and encrypted secrets of every app: writes (validated, encrypted, redaction updated, processes
 * restarted or the change staged), reads for the environment builder, the deploy check and key rotation.
 * Identity: one per daemon, holding the master key's derived keys and what is staged. `close` unsubscribes.
 * Each concern lives in its own file (reads, writes, preflight, rotate, redaction, config-vars); this class
 * holds the state they share.
 */
export class SecretsService {
  readonly #deps: SecretsDeps;
  #keyring: Keyring | null = null;
  readonly #staged = new StagedChanges();
  readonly #redaction: SecretRedaction;
  readonly #unsubscribe: () => void;
  readonly #ctx: SecretsContext;

  constructor(deps: SecretsDeps) {
    this.#deps = deps;
    const ring = () => this.#ring();
    this.#redaction = new SecretRedaction({
      db: deps.db,
      ring,
      setRedactor: (app, redactor) => deps.logs.setRedactor(app, redactor),
      onError: deps.onError,
    });
    this.#ctx = {
      db: deps.db,
      clock: deps.clock,
      bus: deps.bus,
      onError: deps.onError,
      liveSpec: deps.liveSpec,
      ring,
      redaction: this.#redaction,
      changes: {
        db: deps.db,
        bus: deps.bus,
        liveSpec: deps.liveSpec,
        restart: deps.restart,
        staged: this.#staged,
        checkEnvironment: deps.checkEnvironment,
      },
    };
    this.#unsubscribe = clearStagedOnWholeRestart(deps.bus, this.#staged);
    for (const app of store.listSecretApps(deps.db)) this.#redaction.refresh(app);
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
    return listSecrets(this.#ctx, app);
  }

  /** The decrypted values of the named secrets of an app (see `secretValues`). */
  values(app: string, names: readonly string[]): Record<string, string> {
    return secretValues(this.#ctx, app, names);
  }

  /** At daemon start: may the app's processes start (see `secretsReadable`)? */
  readable(spec: AppSpec): boolean {
    return secretsReadable(this.#ctx, spec);
  }

  /** An app's config vars as its processes get them. */
  configVars(app: string): Record<string, string> {
    return configVars(this.#deps.db, app);
  }

  listConfig(app: string): ConfigEntry[] {
    return listConfig(this.#ctx.changes, app);
  }

  setConfig(
    app: string,
    values: Readonly<Record<string, string>>,
    restart: boolean,
  ): Promise<VarsChangeResponse> {
    return setConfig({ ...this.#ctx.changes, clock: this.#deps.clock }, app, values, restart);
  }

  unsetConfig(app: string, names: readonly string[], restart: boolean): Promise<VarsChangeResponse> {
    return unsetConfig(this.#ctx.changes, app, names, restart);
  }

  /** The deploy check (see `secretsPreflight`). */
  preflight(spec: AppSpec): void {
    secretsPreflight(this.#ctx, spec);
  }

  /** Sets secrets (validated, encrypted), then restarts the processes that receive them or stages the change. */
  set(app: string, values: Readonly<Record<string, string>>, restart: boolean): Promise<VarsChangeResponse> {
    return setSecrets(this.#ctx, app, values, restart);
  }

  /** Removes secrets; one the live release lists needs `force` (its processes lose it, the next deploy fails). */
  remove(
    app: string,
    names: readonly string[],
    opts: { restart: boolean; force: boolean },
  ): Promise<VarsChangeResponse> {
    return removeSecrets(this.#ctx, app, names, opts);
  }

  /** Re-encrypts every secret of every app under a new master key (see `rotateKeyring`). */
  rotateKey(): RotateKeyResponse {
    return rotateKey(this.#ctx, this.#deps.keyFile, (keyring) => (this.#keyring = keyring));
  }

  /** A value the platform keeps for the app (e.g. its Redis password), or null; see platform.ts. */
  platformValue(app: string, name: string): string | null {
    return platformSecret(this.#ctx, app, name);
  }

  setPlatformValue(app: string, name: string, value: string): void {
    setPlatformSecret(this.#ctx, app, name, value);
  }

  /** Forgets an app's secrets and config vars (`apps destroy`). */
  forgetApp(app: string): void {
    store.transaction(this.#deps.db, () => {
      store.deleteAppSecrets(this.#deps.db, app);
      store.deleteAppConfigVars(this.#deps.db, app);
    });
    this.#staged.clear(app);
    this.#redaction.forget(app);
  }
}
