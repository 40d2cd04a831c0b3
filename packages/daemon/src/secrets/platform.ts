import * as store from '../store/index.js';
import type { SecretsContext } from './context.js';
import { digestOf, open, seal } from './crypto.js';

/**
 * Secrets the platform keeps for an app (its Redis password): stored, encrypted, rotated with the master key and
 * redacted from the app's logs like the app's own, but never listed, removed or injected by name. Their names
 * start with `NIGHTSHIFT_`, which no user secret may (validate.ts).
 */
export const PLATFORM_SECRET_PREFIX = 'NIGHTSHIFT_';

export const isPlatformSecret = (name: string): boolean => name.startsWith(PLATFORM_SECRET_PREFIX);

export function platformSecret(ctx: SecretsContext, app: string, name: string): string | null {
  const row = store.listSecrets(ctx.db, app).find((r) => r.name === name);
  return row ? open(ctx.ring().keys, app, name, row) : null;
}

/** Stores the value; the one it replaces stays redacted (processes that have not restarted still hold it). */
export function setPlatformSecret(ctx: SecretsContext, app: string, name: string, value: string): void {
  const keys = ctx.ring().keys;
  ctx.redaction.retire(app, ctx.redaction.decryptable(app, [name]));
  store.upsertSecret(
    ctx.db,
    { app, name, ...seal(keys, app, name, value), digest: digestOf(keys, value) },
    ctx.clock.now(),
  );
  ctx.redaction.refresh(app);
}
