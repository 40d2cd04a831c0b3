/**
 * Config vars and encrypted secrets (DESIGN §3, §7). The composition root opens the master key, builds one
 * service, and asks it for each process's config vars and secrets; the API routes call its writes.
 *
 * ```ts
 * const open = () => openKeyring(db, paths.masterKey, process.env.NIGHTSHIFT_MASTER_KEY, clock.now());
 * let keyring = keyringNeededAtStart(db, paths.masterKey, process.env.NIGHTSHIFT_MASTER_KEY) ? open() : null; // or refuse to start
 * const secrets = new SecretsService({ …, keyFile: paths.masterKey, keyring: () => (keyring ??= open()), … });
 * buildEnvironment({ …, configVars: secrets.configVars(app), secrets: secrets.values(app, spec.secrets) }, target);
 * new Apps({ …, preflight: (spec) => secrets.preflight(spec) });
 * ```
 *
 * Contract, in short:
 * - Values are AES-256-GCM under a key derived (HKDF-SHA256) from the 32-byte master key, a random 96-bit nonce
 *   per write, the app and name as associated data. The database holds ciphertext, nonce, tag, and a keyed
 *   digest (HMAC under another derived key); the master key lives in `NIGHTSHIFT_MASTER_KEY` or `master.key` (0600).
 * - Every secret value of an app (6 characters or more; the lines of a multi-line value; its JSON-escaped form;
 *   values replaced or removed while the daemon runs) is in the app's log redactor from start and after each change.
 * - Processes receive the config vars and the secrets their release's manifest lists in `secrets:`; a change
 *   restarts them one replica at a time, or is staged (`--no-restart`) until the next deploy or restart.
 */
export { SecretsService, type SecretsDeps } from './service.js';
export { keyringNeededAtStart, openKeyring, rotateKeyring, type Keyring } from './keyring.js';
export { MASTER_KEY_ENV } from './master-key.js';
export { REDACT_MIN_LENGTH, secretRedactor } from './redactor.js';

/** Codes this module raises (listed in docs/errors.md, section "Config vars and secrets"). */
export const SECRETS_ERROR_CODES = [
  'NS_SECRETS_KEY_INVALID',
  'NS_SECRETS_KEY_UNSAFE',
  'NS_SECRETS_KEY_MISMATCH',
  'NS_SECRETS_KEY_FROM_ENV',
  'NS_SECRET_DECRYPT_FAILED',
  'NS_SECRET_NAME_INVALID',
  'NS_SECRET_VALUE_INVALID',
  'NS_SECRET_NOT_FOUND',
  'NS_SECRET_IN_USE',
  'NS_SECRET_CONFIG_CONFLICT',
  'NS_CONFIG_NAME_INVALID',
  'NS_CONFIG_VALUE_INVALID',
  'NS_CONFIG_NOT_FOUND',
  'NS_DEPLOY_SECRETS_MISSING',
  'NS_API_LOCAL_ONLY',
] as const;
