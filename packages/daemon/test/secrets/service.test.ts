import { describe, expect, it } from 'vitest';
import * as store from '../../src/store/index.js';
import { makeWorld, specOf, useTempDir, type World } from './helpers.js';

const temp = useTempDir();
const URL_VALUE = 'postgres://shop:pa55-w0rd-xyz@db.internal/shop';

function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; hint: string }> {
  return promise.then(
    (value) => {
      throw new Error(`resolved with ${JSON.stringify(value)} instead of failing`);
    },
    (err: unknown) => err as { code: string; message: string; hint: string },
  );
}

function thrown(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('did not throw');
}

async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  const world = makeWorld(temp());
  try {
    await fn(world);
  } finally {
    await world.close();
  }
}

describe('secrets: set, list, remove', () => {
  it('lists names, keyed digests and times, never a value', () =>
    withWorld(async (w) => {
      await w.secrets.set(
        'shop',
        { DATABASE_URL: URL_VALUE, COPY_OF_URL: URL_VALUE, SMTP_PASS: 'smtp-secret-1' },
        true,
      );
      const list = w.secrets.list('shop');
      expect(list.map((s) => s.name)).toEqual(['COPY_OF_URL', 'DATABASE_URL', 'SMTP_PASS']);
      expect(list[0]!.digest).toBe(list[1]!.digest);
      expect(list[2]!.digest).not.toBe(list[1]!.digest);
      expect(list[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(JSON.stringify(list)).not.toContain('pa55-w0rd');
      expect(w.secrets.list('other')).toEqual([]);
      // Updating keeps createdAt, moves updatedAt and changes the digest.
      const first = store.listSecrets(w.db, 'shop').find((r) => r.name === 'SMTP_PASS')!;
      await new Promise((r) => setTimeout(r, 5));
      await w.secrets.set('shop', { SMTP_PASS: 'smtp-secret-2' }, true);
      const second = store.listSecrets(w.db, 'shop').find((r) => r.name === 'SMTP_PASS')!;
      expect(second.createdAt).toBe(first.createdAt);
      expect(second.updatedAt).toBeGreaterThan(first.updatedAt);
      expect(second.digest).not.toBe(first.digest);
      expect(w.secrets.values('shop', ['SMTP_PASS', 'NOT_SET'])).toEqual({ SMTP_PASS: 'smtp-secret-2' });
    }));

  it('restarts the live app when a secret its manifest lists changes; stages it with restart off', () =>
    withWorld(async (w) => {
      w.live.set('shop', specOf('shop', 'secrets: [DATABASE_URL]\nworkers: [{ name: w, start: sleep 1 }]\n'));
      await w.secrets.set('shop', { DATABASE_URL: URL_VALUE }, true);
      expect(w.restarts).toEqual(['shop']);
      expect(w.secrets.list('shop')[0]!.status).toBe('deployed');

      const staged = await w.secrets.set('shop', { DATABASE_URL: `${URL_VALUE}?v=2` }, false);
      expect(staged.restart).toBe('staged');
      expect(w.restarts).toEqual(['shop']);
      expect(w.secrets.list('shop')[0]!.status).toBe('staged');
      // A deploy (or rollback, or restart of every process) starts everything with the current values.
      emit(w, 'deploy:finished');
      expect(w.secrets.list('shop')[0]!.status).toBe('deployed');
      await w.secrets.set('shop', { DATABASE_URL: URL_VALUE }, false);
      emit(w, 'process:restarted', 'emails');
      expect(w.secrets.list('shop')[0]!.status).toBe('staged');
      emit(w, 'process:restarted');
      expect(w.secrets.list('shop')[0]!.status).toBe('deployed');
    }));

  it('says when no process receives the change, and when the app is not deployed', () =>
    withWorld(async (w) => {
      const early = await w.secrets.set('shop', { DATABASE_URL: URL_VALUE }, true);
      expect(early.restart).toBe('not-running');
      expect(early.warnings.join('\n')).toMatch(/no app shop has been deployed/);
      expect(w.secrets.list('shop')[0]!.status).toBe('staged');

      w.live.set('shop', specOf('shop', 'secrets: [DATABASE_URL]\nworkers: [{ name: w, start: sleep 1 }]\n'));
      const unlisted = await w.secrets.set('shop', { EXTRA_TOKEN: 'extra-token-1' }, true);
      expect(unlisted.restart).toBe('not-injected');
      expect(unlisted.warnings.join('\n')).toMatch(/EXTRA_TOKEN is not listed in the `secrets:`/);
      expect(w.restarts).toEqual([]);
      expect(w.secrets.list('shop').find((s) => s.name === 'EXTRA_TOKEN')!.status).toBe('unused');

      const short = await w.secrets.set('shop', { PIN: '1234' }, true);
      expect(short.warnings.join('\n')).toMatch(/PIN has fewer than 6 characters/);
    }));

  it('removes secrets; one the live manifest lists only with force; unknown names change nothing', () =>
    withWorld(async (w) => {
      w.live.set('shop', specOf('shop', 'secrets: [DATABASE_URL]\nworkers: [{ name: w, start: sleep 1 }]\n'));
      await w.secrets.set('shop', { DATABASE_URL: URL_VALUE, OLD_TOKEN: 'old-token-1' }, false);
      const missing = await rejection(
        w.secrets.remove('shop', ['OLD_TOKEN', 'NOPE'], { restart: true, force: false }),
      );
      expect(missing.code).toBe('NS_SECRET_NOT_FOUND');
      expect(missing.message).toContain('NOPE');
      expect(w.secrets.list('shop')).toHaveLength(2);
      const inUse = await rejection(
        w.secrets.remove('shop', ['DATABASE_URL'], { restart: true, force: false }),
      );
      expect(inUse.code).toBe('NS_SECRET_IN_USE');
      expect((await w.secrets.remove('shop', ['OLD_TOKEN'], { restart: true, force: false })).restart).toBe(
        'not-injected',
      );
      expect((await w.secrets.remove('shop', ['DATABASE_URL'], { restart: true, force: true })).restart).toBe(
        'rolling',
      );
      expect(w.restarts).toEqual(['shop']);
      expect(w.secrets.list('shop')).toEqual([]);
    }));

  it('checks names and values without repeating a value, or a secret name that may be a pasted value', () =>
    withWorld(async (w) => {
      const pasted = await rejection(w.secrets.set('shop', { 'postgres://u:hunter22@h/db': 'x' }, true));
      expect(pasted.code).toBe('NS_SECRET_NAME_INVALID');
      expect(`${pasted.message} ${pasted.hint}`).not.toContain('hunter22');
      for (const name of ['PORT', 'NIGHTSHIFT_APP', 'HEALTH_PORT', '1ABC', 'A-B']) {
        expect((await rejection(w.secrets.set('shop', { [name]: 'value-123456' }, true))).code).toBe(
          'NS_SECRET_NAME_INVALID',
        );
      }
      // REDIS_URL is the platform's only for an app with `redis: true`.
      await w.secrets.set('shop', { REDIS_URL: 'redis://external-host:6379' }, true);
      w.live.set('cache', specOf('cache', 'redis: true\nworkers: [{ name: w, start: sleep 1 }]\n'));
      expect((await rejection(w.secrets.set('cache', { REDIS_URL: 'redis://x-host:6379' }, true))).code).toBe(
        'NS_SECRET_NAME_INVALID',
      );

      const empty = await rejection(w.secrets.set('shop', { EMPTY: '' }, true));
      expect(empty.code).toBe('NS_SECRET_VALUE_INVALID');
      const nul = await rejection(w.secrets.set('shop', { NUL: 'abc\0secret-after-nul' }, true));
      expect(nul.code).toBe('NS_SECRET_VALUE_INVALID');
      expect(nul.message).not.toContain('secret-after-nul');
      const big = await rejection(w.secrets.set('shop', { BIG: 'y'.repeat(40_000) }, true));
      expect(big.code).toBe('NS_SECRET_VALUE_INVALID');
      expect(big.message).not.toContain('yyyy');
      expect(w.secrets.list('shop').map((s) => s.name)).toEqual(['REDIS_URL']);
    }));

  it('puts names in events, never values', () =>
    withWorld(async (w) => {
      w.live.set('shop', specOf('shop', 'secrets: [DATABASE_URL]\nworkers: [{ name: w, start: sleep 1 }]\n'));
      await w.secrets.set('shop', { DATABASE_URL: URL_VALUE }, true);
      await w.secrets.set('shop', { DATABASE_URL: `${URL_VALUE}-2` }, false);
      await w.secrets.remove('shop', ['DATABASE_URL'], { restart: false, force: true });
      w.secrets.rotateKey();
      const text = JSON.stringify(w.events);
      expect(text).not.toContain('pa55-w0rd');
      expect(w.events.filter((e) => e.type === 'secrets:changed').map((e) => e.data)).toEqual([
        { names: ['DATABASE_URL'], action: 'set', restart: 'rolling' },
        { names: ['DATABASE_URL'], action: 'set', restart: 'staged' },
        { names: ['DATABASE_URL'], action: 'removed', restart: 'staged' },
      ]);
    }));
});

describe('config vars', () => {
  it('sets, lists with values, unsets; restarts the live app or stages', () =>
    withWorld(async (w) => {
      w.live.set(
        'shop',
        specOf('shop', 'env: { LOG_LEVEL: info }\nworkers: [{ name: w, start: sleep 1 }]\n'),
      );
      expect((await w.secrets.setConfig('shop', { LOG_LEVEL: 'debug', EMPTY_OK: '' }, true)).restart).toBe(
        'rolling',
      );
      expect(w.secrets.configVars('shop')).toEqual({ LOG_LEVEL: 'debug', EMPTY_OK: '' });
      expect(w.secrets.listConfig('shop').map((c) => [c.name, c.value, c.status])).toEqual([
        ['EMPTY_OK', '', 'deployed'],
        ['LOG_LEVEL', 'debug', 'deployed'],
      ]);
      expect((await w.secrets.unsetConfig('shop', ['EMPTY_OK'], false)).restart).toBe('staged');
      expect(w.restarts).toEqual(['shop']);
      const unknown = await rejection(w.secrets.unsetConfig('shop', ['NOPE'], true));
      expect(unknown.code).toBe('NS_CONFIG_NOT_FOUND');
      expect((await rejection(w.secrets.setConfig('shop', { PORT: '80' }, true))).code).toBe(
        'NS_CONFIG_NAME_INVALID',
      );
      expect(w.events.filter((e) => e.type === 'config:changed').map((e) => e.data)).toEqual([
        { names: ['EMPTY_OK', 'LOG_LEVEL'], action: 'set', restart: 'rolling' },
        { names: ['EMPTY_OK'], action: 'unset', restart: 'staged' },
      ]);
    }));

  it('refuses a name that is both a secret and a config var, either way round', () =>
    withWorld(async (w) => {
      await w.secrets.set('shop', { API_KEY: 'api-key-value-1' }, true);
      await w.secrets.setConfig('shop', { LOG_LEVEL: 'info' }, true);
      expect((await rejection(w.secrets.setConfig('shop', { API_KEY: 'plain' }, true))).code).toBe(
        'NS_SECRET_CONFIG_CONFLICT',
      );
      expect((await rejection(w.secrets.set('shop', { LOG_LEVEL: 'now-secret' }, true))).code).toBe(
        'NS_SECRET_CONFIG_CONFLICT',
      );
      // Listed in the live manifest's secrets but not set yet: still not a config var.
      w.live.set('shop', specOf('shop', 'secrets: [DATABASE_URL]\nworkers: [{ name: w, start: sleep 1 }]\n'));
      expect((await rejection(w.secrets.setConfig('shop', { DATABASE_URL: 'x' }, true))).code).toBe(
        'NS_SECRET_CONFIG_CONFLICT',
      );
    }));
});

describe('a write the live processes could not start with', () => {
  // 30 KiB values pass the per-value limit; enough of them together pass what exec accepts (E2BIG).
  const batch = (prefix: string, n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'x'.repeat(30_000)]));

  it('refuses config vars that push the environment over the limit, naming the largest, and stores none', () =>
    withWorld(async (w) => {
      w.live.set('shop', specOf('shop', 'workers: [{ name: w, start: sleep 1 }]\n'));
      await w.secrets.setConfig('shop', batch('A', 30), true);
      const err = await rejection(w.secrets.setConfig('shop', batch('B', 10), true));
      expect(err.code).toBe('NS_ENV_TOO_LARGE');
      expect(err.message).toContain('the environment of w is');
      expect(err.message).toMatch(/the largest variables: [AB]\d+/);
      expect(Object.keys(w.secrets.configVars('shop'))).toHaveLength(30);
      expect(w.restarts).toEqual(['shop']);
      expect(w.events.filter((e) => e.type === 'config:changed')).toHaveLength(1);
      // Not deployed: nothing to start yet, so nothing to refuse (the deploy checks it).
      await w.secrets.setConfig('other', batch('B', 40), true);
      expect(Object.keys(w.secrets.configVars('other'))).toHaveLength(40);
    }));

  it('refuses a secret the manifest lists when it would not fit, and stores nothing of it', () =>
    withWorld(async (w) => {
      w.live.set('shop', specOf('shop', 'secrets: [BIG_KEY]\nworkers: [{ name: w, start: sleep 1 }]\n'));
      await w.secrets.setConfig('shop', batch('A', 34), true);
      const err = await rejection(w.secrets.set('shop', { BIG_KEY: 'k'.repeat(30_000) }, true));
      expect(err.code).toBe('NS_ENV_TOO_LARGE');
      expect(w.secrets.list('shop').map((s) => s.name)).toEqual([]);
    }));
});

describe('the deploy check', () => {
  it('names every missing secret at once', () =>
    withWorld(async (w) => {
      await w.secrets.set('shop', { SMTP_PASS: 'smtp-pass-1' }, true);
      const spec = specOf(
        'shop',
        'secrets: [DATABASE_URL, SMTP_PASS, STRIPE_KEY]\nworkers: [{ name: w, start: sleep 1 }]\n',
      );
      const err = thrown(() => w.secrets.preflight(spec));
      expect(err.code).toBe('NS_DEPLOY_SECRETS_MISSING');
      expect(err.message).toBe(
        "shop's manifest lists secrets the store does not have: DATABASE_URL, STRIPE_KEY",
      );
      await w.secrets.set('shop', { DATABASE_URL: URL_VALUE, STRIPE_KEY: 'sk_test_123456' }, true);
      expect(() => w.secrets.preflight(spec)).not.toThrow();
    }));

  it('refuses a listed name that is a config var, and a listed secret that fails authentication', () =>
    withWorld(async (w) => {
      await w.secrets.setConfig('shop', { DATABASE_URL: 'plain' }, true);
      const spec = specOf('shop', 'secrets: [DATABASE_URL]\nworkers: [{ name: w, start: sleep 1 }]\n');
      // Missing comes first; once it is stored (directly, bypassing the set check), the conflict shows.
      expect(thrown(() => w.secrets.preflight(spec)).code).toBe('NS_DEPLOY_SECRETS_MISSING');
      await w.secrets.unsetConfig('shop', ['DATABASE_URL'], true);
      await w.secrets.set('shop', { DATABASE_URL: URL_VALUE }, true);
      store.upsertConfigVar(w.db, 'shop', 'DATABASE_URL', 'plain', Date.now());
      expect(thrown(() => w.secrets.preflight(spec)).code).toBe('NS_SECRET_CONFIG_CONFLICT');
      store.deleteConfigVar(w.db, 'shop', 'DATABASE_URL');
      // Another app's ciphertext copied over shop's: a valid ciphertext, in the wrong place.
      await w.secrets.set('other', { DATABASE_URL: 'postgres://other-app-url' }, true);
      w.db
        .prepare(
          "UPDATE secrets SET (nonce, ciphertext, tag) = (SELECT nonce, ciphertext, tag FROM secrets WHERE app = 'other') WHERE app = 'shop'",
        )
        .run();
      const moved = thrown(() => w.secrets.preflight(spec));
      expect(moved.code).toBe('NS_SECRET_DECRYPT_FAILED');
      expect(moved.message).not.toContain('pa55-w0rd');
      expect(moved.message).not.toContain('other-app-url');
    }));
});

/** What the releases and the restart route emit on the daemon's bus, which the service listens to. */
describe('apps destroy', () => {
  it('forgets the app’s secrets and config vars, and nothing of other apps', () =>
    withWorld(async (w) => {
      await w.secrets.set('shop', { A_SECRET: 'value-aaaaaa' }, true);
      await w.secrets.setConfig('shop', { LOG_LEVEL: 'debug' }, true);
      await w.secrets.set('blog', { B_SECRET: 'value-bbbbbb' }, true);
      w.secrets.forgetApp('shop');
      expect([w.secrets.list('shop'), w.secrets.listConfig('shop')]).toEqual([[], []]);
      expect(w.secrets.values('blog', ['B_SECRET'])).toEqual({ B_SECRET: 'value-bbbbbb' });
    }));
});

describe('at daemon start', () => {
  it('keeps an app whose listed secret fails authentication down, with an event saying why', () =>
    withWorld(async (w) => {
      const spec = specOf('shop', 'secrets: [DATABASE_URL]\nworkers: [{ name: w, start: sleep 1 }]\n');
      await w.secrets.set('shop', { DATABASE_URL: URL_VALUE }, true);
      expect(w.secrets.readable(spec)).toBe(true);
      w.db.prepare("UPDATE secrets SET nonce = zeroblob(12) WHERE name = 'DATABASE_URL'").run();
      expect(w.secrets.readable(spec)).toBe(false);
      const event = w.events.at(-1)!;
      expect(event).toMatchObject({
        type: 'secrets:unreadable',
        app: 'shop',
        data: { code: 'NS_SECRET_DECRYPT_FAILED' },
      });
      expect(event.message).toMatch(/^shop not started: secret DATABASE_URL of shop fails authentication/);
      // A secret removed with --force is not a reason to keep the app down.
      w.db.prepare("DELETE FROM secrets WHERE name = 'DATABASE_URL'").run();
      expect(w.secrets.readable(spec)).toBe(true);
    }));
});

function emit(w: World, type: 'deploy:finished' | 'process:restarted', process?: string): void {
  if (type === 'deploy:finished') {
    w.bus.emit({ type, app: 'shop', message: 'v2 is live', data: { release: 'v2', previous: 'v1' } });
  } else {
    w.bus.emit({ type, app: 'shop', ...(process ? { process } : {}), message: 'restarted', data: {} });
  }
}
