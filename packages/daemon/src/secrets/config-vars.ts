import { ErrorCodes, NightshiftError, type ConfigEntry, type VarsChangeResponse } from '@nightshift/protocol';
import type { Clock } from '../runtime/clock.js';
import * as store from '../store/index.js';
import { applyChange, conflict, statusOf, type ChangeContext } from './changes.js';
import { checkName, checkValue } from './validate.js';

/** Plain config vars: not secret, so stored and listed as they are. */

/** An app's config vars as its processes get them. */
export function configVars(db: store.Db, app: string): Record<string, string> {
  return Object.fromEntries(store.listConfigVars(db, app).map((row) => [row.name, row.value]));
}

export function listConfig(ctx: ChangeContext, app: string): ConfigEntry[] {
  const spec = ctx.liveSpec(app);
  return store.listConfigVars(ctx.db, app).map((row) => ({
    name: row.name,
    value: row.value,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    status: statusOf(ctx.staged, app, 'config', spec, row.name),
  }));
}

/** Sets config vars (never a name that is a secret, or listed as one), then restarts or stages. */
export async function setConfig(
  ctx: ChangeContext & { readonly clock: Clock },
  app: string,
  values: Readonly<Record<string, string>>,
  restart: boolean,
): Promise<VarsChangeResponse> {
  const spec = ctx.liveSpec(app);
  const names = Object.keys(values).sort();
  const secrets = new Set([
    ...store.listSecrets(ctx.db, app).map((row) => row.name),
    ...(spec?.secrets ?? []),
  ]);
  for (const name of names) {
    checkName('config', name, spec?.redis ?? false);
    checkValue('config', name, values[name]!);
  }
  const both = names.filter((name) => secrets.has(name));
  if (both.length > 0) throw conflict(app, both, 'config');
  const now = ctx.clock.now();
  store.transaction(ctx.db, () => {
    for (const name of names) store.upsertConfigVar(ctx.db, app, name, values[name]!, now);
    // Each value may be small and still push the environment past what exec accepts (E2BIG).
    ctx.checkEnvironment(app);
  });
  return applyChange(ctx, {
    app,
    kind: 'config',
    action: 'set',
    names,
    injected: names,
    restart,
    warnings: [],
  });
}

export async function unsetConfig(
  ctx: ChangeContext,
  app: string,
  names: readonly string[],
  restart: boolean,
): Promise<VarsChangeResponse> {
  const stored = new Set(store.listConfigVars(ctx.db, app).map((row) => row.name));
  const unknown = names.filter((name) => !stored.has(name));
  if (unknown.length > 0) {
    throw new NightshiftError(
      ErrorCodes.configNotFound,
      `${app} has no config var ${unknown.join(', ')}; nothing was unset`,
      stored.size > 0 ? `its config vars are: ${[...stored].join(', ')}` : `${app} has no config vars`,
    );
  }
  store.transaction(ctx.db, () => {
    for (const name of names) store.deleteConfigVar(ctx.db, app, name);
  });
  const sorted = [...names].sort();
  return applyChange(ctx, {
    app,
    kind: 'config',
    action: 'unset',
    names: sorted,
    injected: sorted,
    restart,
    warnings: [],
  });
}
