import type { AppSpec } from '@nightshift/manifest';
import type { SecretEntry } from '@nightshift/protocol';
import * as store from '../store/index.js';
import { statusOf } from './changes.js';
import type { SecretsContext } from './context.js';
import { open } from './crypto.js';
import { isPlatformSecret } from './platform.js';

/** Names, keyed digests, times and status of an app's secrets; never a value. */
export function listSecrets(ctx: SecretsContext, app: string): SecretEntry[] {
  const spec = ctx.liveSpec(app);
  return store
    .listSecrets(ctx.db, app)
    .filter((row) => !isPlatformSecret(row.name))
    .map((row) => ({
      name: row.name,
      digest: row.digest,
      createdAt: new Date(row.createdAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
      status:
        spec !== null && !spec.secrets.includes(row.name)
          ? 'unused'
          : statusOf(ctx.changes.staged, app, 'secret', spec, row.name),
    }));
}

/**
 * The decrypted values of the named secrets of an app (names it does not hold are left out): for the
 * environment of its processes and of `nightshift run` only. Throws `NS_SECRET_DECRYPT_FAILED` for a value
 * that fails authentication.
 */
export function secretValues(
  ctx: SecretsContext,
  app: string,
  names: readonly string[],
): Record<string, string> {
  const wanted = new Set(names);
  const out: Record<string, string> = {};
  for (const row of store.listSecrets(ctx.db, app)) {
    if (wanted.has(row.name)) out[row.name] = open(ctx.ring().keys, app, row.name, row);
  }
  return out;
}

/**
 * At daemon start, before an app's processes start: true when every secret its release lists decrypts (a
 * missing one is not checked here: only `secrets rm --force` removes one, and deploys refuse it). Otherwise
 * the failure goes to the daemon's log and a `secrets:unreadable` event, and the app is not started.
 */
export function secretsReadable(ctx: SecretsContext, spec: AppSpec): boolean {
  try {
    secretValues(ctx, spec.name, spec.secrets);
    return true;
  } catch (err) {
    ctx.onError(err);
    const message = err instanceof Error ? err.message : String(err);
    ctx.bus.emit({
      type: 'secrets:unreadable',
      app: spec.name,
      message: `${spec.name} not started: ${message}`,
      data: { code: (err as { code?: string }).code ?? 'NS_INTERNAL', error: message },
    });
    return false;
  }
}
