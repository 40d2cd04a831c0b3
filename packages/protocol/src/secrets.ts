/**
 * Shapes of the config-var and secrets API (`/apps/:app/config`, `/apps/:app/secrets`, `/secrets/rotate-key`).
 * A secret's value goes in (set) and never comes out: listings carry names, keyed digests and times only.
 */

/**
 * Whether the app's processes run with the current value: `deployed` (they do), `staged` (changed with
 * `--no-restart`, or the app runs nothing yet: applies at the next deploy or restart), `unused` (a secret the
 * live release's manifest does not list in `secrets:`, so no process receives it).
 */
export type EnvVarStatus = 'deployed' | 'staged' | 'unused';

export interface SecretEntry {
  readonly name: string;
  /** 16 hex characters of an HMAC-SHA256 of the value under a key derived from the master key. */
  readonly digest: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly status: EnvVarStatus;
}

export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly status: Exclude<EnvVarStatus, 'unused'>;
}

/** `POST /apps/:app/secrets` and `POST /apps/:app/config`. */
export interface SetVarsRequest {
  readonly values: Readonly<Record<string, string>>;
  /** false stages the change until the next deploy or restart (`--no-restart`); default true. */
  readonly restart?: boolean;
}

/** `POST /apps/:app/secrets/remove` and `POST /apps/:app/config/unset`. */
export interface RemoveVarsRequest {
  readonly names: readonly string[];
  readonly restart?: boolean;
  /** Secrets only: remove a name the live release lists in `secrets:` (its processes lose it). */
  readonly force?: boolean;
}

/**
 * What a change did. `restart` says what happened to the processes: `rolling` (restarted one replica at a
 * time), `staged` (`--no-restart`), `not-running` (the app has no live release), `not-injected` (no live
 * process receives these names, so nothing needed a restart).
 */
export interface VarsChangeResponse {
  readonly app: string;
  readonly names: readonly string[];
  readonly restart: 'rolling' | 'staged' | 'not-running' | 'not-injected';
  /** Things the user should know (short values that logs cannot redact, names the manifest does not list). */
  readonly warnings: readonly string[];
}

/** `POST /secrets/rotate-key`. */
export interface RotateKeyResponse {
  /** Fingerprints (16 hex, derived one way from the key) of the old and the new master key. */
  readonly previous: string;
  readonly fingerprint: string;
  /** How many secrets were re-encrypted. */
  readonly secrets: number;
}
