import { describe, expect, it } from 'vitest';
import { createApi, withToken } from '../../src/api/app.js';
import type { Listener } from '../../src/api/http/router.js';
import type { ApiServices } from '../../src/api/services.js';
import { type Injected, useInject } from '../api/inject.js';
import { makeWorld, useTempDir, type World } from './helpers.js';

const temp = useTempDir();
const serve = useInject();
const VALUE = 'sk_live_route-test-secret-9f8e7d';

/** The API with the services these routes use; the others are not reached. */
function apiOf(w: World): Listener {
  const services = {
    db: w.db,
    bus: w.bus,
    secrets: w.secrets,
    clock: { now: () => Date.now() },
    // A live release for the one-off route, whose answer carries the environment with the secret's value.
    supervisor: {
      liveRelease: () => ({ version: 1, path: '/srv/shop', spec: {} }),
      processSpec: () => undefined,
    },
    oneOffEnv: () => w.secrets.values('shop', ['A_KEY']),
  } as unknown as ApiServices;
  return createApi(services);
}

const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The API on the Unix socket's terms (no token), served for the test; `listener` is the same API, unserved. */
async function withApi(fn: (api: Injected, w: World, listener: Listener) => Promise<void>): Promise<void> {
  const w = makeWorld(temp());
  try {
    const listener = apiOf(w);
    await fn(await serve(listener), w, listener);
  } finally {
    await w.close();
  }
}

describe('secrets routes', () => {
  it('take values in and never give them back', () =>
    withApi(async (api) => {
      const set = await api.request(
        '/api/v1/apps/shop/secrets',
        post({ values: { STRIPE_KEY: VALUE }, restart: false }),
      );
      expect(set.status).toBe(200);
      const setText = await set.text();
      expect(JSON.parse(setText)).toMatchObject({
        app: 'shop',
        names: ['STRIPE_KEY'],
        restart: 'not-running',
      });
      const list = await api.request('/api/v1/apps/shop/secrets');
      const listText = await list.text();
      expect(JSON.parse(listText)).toEqual([
        expect.objectContaining({ name: 'STRIPE_KEY', digest: expect.stringMatching(/^[0-9a-f]{16}$/) }),
      ]);
      const rotated = await api.request('/api/v1/secrets/rotate-key', { method: 'POST' });
      const rotatedText = await rotated.text();
      expect(JSON.parse(rotatedText)).toMatchObject({ secrets: 1 });
      const removed = await api.request('/api/v1/apps/shop/secrets/remove', post({ names: ['STRIPE_KEY'] }));
      const removedText = await removed.text();
      expect(removed.status).toBe(200);
      for (const text of [setText, listText, rotatedText, removedText])
        expect(text).not.toContain('route-test-secret');
    }));

  it('answer errors without the value: bad shapes, a value pasted as the name, an unknown name', () =>
    withApi(async (api) => {
      const cases: [string, RequestInit, number, string][] = [
        [
          '/api/v1/apps/shop/secrets',
          post({ values: { STRIPE_KEY: VALUE }, restart: 'yes' }),
          400,
          'NS_API_BAD_REQUEST',
        ],
        [
          '/api/v1/apps/shop/secrets',
          { method: 'POST', body: `{"values":{"STRIPE_KEY":"${VALUE}"` },
          400,
          'NS_API_BAD_REQUEST',
        ],
        ['/api/v1/apps/shop/secrets', post({ values: { [VALUE]: 'x' } }), 400, 'NS_SECRET_NAME_INVALID'],
        [
          '/api/v1/apps/shop/secrets',
          post({ values: { A_KEY: `${VALUE}\0` } }),
          400,
          'NS_SECRET_VALUE_INVALID',
        ],
        ['/api/v1/apps/Shop!/secrets', post({ values: { A_KEY: VALUE } }), 400, 'NS_API_BAD_REQUEST'],
        ['/api/v1/apps/shop/secrets/remove', post({ names: ['NOPE'] }), 404, 'NS_SECRET_NOT_FOUND'],
      ];
      for (const [path, init, status, code] of cases) {
        const res = await api.request(path, init);
        const text = await res.text();
        expect([res.status, (JSON.parse(text) as { error: { code: string } }).error.code], path).toEqual([
          status,
          code,
        ]);
        expect(text).not.toContain('route-test-secret');
      }
    }));
});

describe('config routes', () => {
  it('set, list with values, unset', () =>
    withApi(async (api) => {
      expect(
        (await api.request('/api/v1/apps/shop/config', post({ values: { LOG_LEVEL: 'debug' } }))).status,
      ).toBe(200);
      expect(await (await api.request('/api/v1/apps/shop/config')).json()).toEqual([
        expect.objectContaining({ name: 'LOG_LEVEL', value: 'debug', status: 'staged' }),
      ]);
      const unset = await api.request(
        '/api/v1/apps/shop/config/unset',
        post({ names: ['LOG_LEVEL'], restart: false }),
      );
      expect(await unset.json()).toMatchObject({ names: ['LOG_LEVEL'] });
      expect(await (await api.request('/api/v1/apps/shop/config')).json()).toEqual([]);
    }));
});

describe('the TCP listener (token holders, the dashboard)', () => {
  it('may write and list secrets but never gets a one-off environment, which carries their values', () =>
    withApi(async (api, _w, listener) => {
      const tcp = await serve(withToken(listener, 'tok'));
      const auth = { authorization: 'Bearer tok', 'content-type': 'application/json' };
      const set = await tcp.request('/api/v1/apps/shop/secrets', {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ values: { A_KEY: VALUE } }),
      });
      expect(set.status).toBe(200);
      // On the Unix socket (the api itself) the route answers with the value: the guard is what stops it.
      const local = await api.request('/api/v1/apps/shop/run', post({ argv: ['env'] }));
      expect(await local.text()).toContain('route-test-secret');
      const paths = [
        '/api/v1/apps/shop/run',
        '/api/v1/apps/shop/run/',
        '/api/v1/apps/shop/%72un',
        '/api/v1/apps/shop/%72%75%6e',
        '/api/v1//apps/shop/run',
        '/api/v1/apps/shop/run%2F',
      ];
      for (const path of paths) {
        const run = await tcp.request(path, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ argv: ['env'] }),
        });
        const text = await run.text();
        expect(text, path).not.toContain('route-test-secret');
        // Refused, or no route at all (a JSON or a plain 404): never the handler.
        if (run.status === 404) continue;
        expect([run.status, (JSON.parse(text) as { error: { code: string } }).error.code], path).toEqual([
          403,
          'NS_API_LOCAL_ONLY',
        ]);
      }
    }));
});
