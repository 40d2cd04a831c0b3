import type { Router } from '../http/router.js';
import type { RemoveVarsRequest, SetVarsRequest } from '@nightshift/protocol';
import type { ApiServices } from '../services.js';
import { readJson } from '../validate.js';
import { appParam, isNameList, isStringRecord } from './secrets.js';

/** An app's plain config vars: set, list (with values: they are not secret), unset. */
export function configRoutes(r: Router, s: ApiServices): void {
  r.get('/apps/:app/config', (c) => c.json(s.secrets.listConfig(appParam(c.param('app')))));

  r.post('/apps/:app/config', async (c) => {
    const app = appParam(c.param('app'));
    const body = await readJson<SetVarsRequest>(
      c,
      (b) => isStringRecord(b.values) && (b.restart === undefined || typeof b.restart === 'boolean'),
      '{ "values": { "LOG_LEVEL": "debug" }, "restart": true }',
    );
    return c.json(await s.secrets.setConfig(app, body.values, body.restart ?? true));
  });

  r.post('/apps/:app/config/unset', async (c) => {
    const app = appParam(c.param('app'));
    const body = await readJson<RemoveVarsRequest>(
      c,
      (b) => isNameList(b.names) && (b.restart === undefined || typeof b.restart === 'boolean'),
      '{ "names": ["LOG_LEVEL"], "restart": true }',
    );
    return c.json(await s.secrets.unsetConfig(app, body.names, body.restart ?? true));
  });
}
