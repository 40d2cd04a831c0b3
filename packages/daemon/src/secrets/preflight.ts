import type { AppSpec } from '@nightshift/manifest';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import * as store from '../store/index.js';
import { conflict } from './changes.js';
import type { SecretsContext } from './context.js';
import { secretValues } from './reads.js';
import { checkName } from './validate.js';

/**
 * The deploy check (before anything is built): every secret the manifest lists exists and decrypts, and no
 * name is both a secret and a config var. Names every missing secret at once.
 */
export function secretsPreflight(ctx: SecretsContext, spec: AppSpec): void {
  const app = spec.name;
  const stored = new Set(store.listSecrets(ctx.db, app).map((row) => row.name));
  const missing = spec.secrets.filter((name) => !stored.has(name));
  if (missing.length > 0) {
    throw new NightshiftError(
      ErrorCodes.deploySecretsMissing,
      `${app}'s manifest lists ${missing.length === 1 ? 'a secret' : 'secrets'} the store does not have: ${missing.join(', ')}`,
      `set ${missing.length === 1 ? 'it' : 'each'} with \`nightshift secrets set ${missing.length === 1 ? missing[0] : 'NAME'} --app ${app}\` (the value on stdin), then deploy again`,
    );
  }
  const config = store.listConfigVars(ctx.db, app).map((row) => row.name);
  const both = config.filter((name) => stored.has(name) || spec.secrets.includes(name));
  if (both.length > 0) throw conflict(app, both, 'config');
  for (const name of config) checkName('config', name, spec.redis);
  secretValues(ctx, app, spec.secrets);
}
