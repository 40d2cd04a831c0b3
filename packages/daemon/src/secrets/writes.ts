import { ErrorCodes, NightshiftError, type VarsChangeResponse } from '@nightshift/protocol';
import * as store from '../store/index.js';
import { applyChange, conflict } from './changes.js';
import type { SecretsContext } from './context.js';
import { digestOf, seal } from './crypto.js';
import { REDACT_MIN_LENGTH } from './redactor.js';
import { isPlatformSecret } from './platform.js';
import { checkName, checkValue } from './validate.js';

/** Sets secrets (validated, encrypted), then restarts the processes that receive them or stages the change. */
export async function setSecrets(
  ctx: SecretsContext,
  app: string,
  values: Readonly<Record<string, string>>,
  restart: boolean,
): Promise<VarsChangeResponse> {
  const spec = ctx.liveSpec(app);
  const names = Object.keys(values).sort();
  const config = new Set(store.listConfigVars(ctx.db, app).map((row) => row.name));
  for (const name of names) {
    checkName('secret', name, spec?.redis ?? false);
    checkValue('secret', name, values[name]!);
  }
  const both = names.filter((name) => config.has(name));
  if (both.length > 0) throw conflict(app, both, 'secret');
  const now = ctx.clock.now();
  const keys = ctx.ring().keys;
  const replaced = ctx.redaction.decryptable(app, names);
  store.transaction(ctx.db, () => {
    for (const name of names) {
      const value = values[name]!;
      store.upsertSecret(
        ctx.db,
        { app, name, ...seal(keys, app, name, value), digest: digestOf(keys, value) },
        now,
      );
    }
    ctx.changes.checkEnvironment(app);
  });
  ctx.redaction.retire(
    app,
    replaced.filter(([name, old]) => old !== values[name]),
  );
  ctx.redaction.refresh(app);
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
  return applyChange(ctx.changes, { app, kind: 'secret', action: 'set', names, injected, restart, warnings });
}

/** Removes secrets; one the live release lists needs `force` (its processes lose it, the next deploy fails). */
export async function removeSecrets(
  ctx: SecretsContext,
  app: string,
  names: readonly string[],
  opts: { restart: boolean; force: boolean },
): Promise<VarsChangeResponse> {
  const spec = ctx.liveSpec(app);
  const stored = new Set(
    store
      .listSecrets(ctx.db, app)
      .map((row) => row.name)
      .filter((name) => !isPlatformSecret(name)),
  );
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
  const removed = ctx.redaction.decryptable(app, names);
  store.transaction(ctx.db, () => {
    for (const name of names) store.deleteSecret(ctx.db, app, name);
  });
  ctx.redaction.retire(app, removed);
  ctx.redaction.refresh(app);
  return applyChange(ctx.changes, {
    app,
    kind: 'secret',
    action: 'removed',
    names: [...names].sort(),
    injected: listed,
    restart: opts.restart,
    warnings: [],
  });
}
