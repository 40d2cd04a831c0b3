import type { Router } from '../http/router.js';
import { NAME_PATTERN } from '@nightshift/manifest/names';
import {
  ErrorCodes,
  NightshiftError,
  type RemoveVarsRequest,
  type SetVarsRequest,
} from '@nightshift/protocol';
import type { ApiServices } from '../services.js';
import { readJson } from '../validate.js';

/**
 * An app's secrets: set (values in, never out), list (names, digests, times), remove; and the daemon-wide key
 * rotation. Bodies are checked by shape only, and no error repeats a value.
 */
export function secretRoutes(r: Router, s: ApiServices): void {
  r.get('/apps/:app/secrets', (c) => c.json(s.secrets.list(appParam(c.param('app')))));

  r.post('/apps/:app/secrets', async (c) => {
    const app = appParam(c.param('app'));
    const body = await readJson<SetVarsRequest>(
      c,
      (b) => isStringRecord(b.values) && (b.restart === undefined || typeof b.restart === 'boolean'),
      '{ "values": { "DATABASE_URL": "…" }, "restart": true }',
    );
    return c.json(await s.secrets.set(app, body.values, body.restart ?? true));
  });

  r.post('/apps/:app/secrets/remove', async (c) => {
    const app = appParam(c.param('app'));
    const body = await readJson<RemoveVarsRequest>(
      c,
      (b) =>
        isNameList(b.names) &&
        (b.restart === undefined || typeof b.restart === 'boolean') &&
        (b.force === undefined || typeof b.force === 'boolean'),
      '{ "names": ["DATABASE_URL"], "restart": true, "force": false }',
    );
    return c.json(
      await s.secrets.remove(app, body.names, { restart: body.restart ?? true, force: body.force ?? false }),
    );
  });

  r.post('/secrets/rotate-key', (c) => c.json(s.secrets.rotateKey()));
}

/**
 * The app of a config or secrets route. It need not exist yet: secrets are set before the first deploy (which
 * fails without them), so only the name's form is checked.
 */
export function appParam(app: string): string {
  if (!NAME_PATTERN.test(app)) {
    throw new NightshiftError(
      ErrorCodes.badRequest,
      `"${app}" is not an app name`,
      'app names match [a-z][a-z0-9-]{0,39}',
    );
  }
  return app;
}

/** A non-empty `{ NAME: "value" }` object. */
export function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 0 && entries.every(([, v]) => typeof v === 'string');
}

/** A non-empty list of names without repeats. */
export function isNameList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string') &&
    new Set(value).size === value.length
  );
}
