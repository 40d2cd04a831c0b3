import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { describe, expect, it } from 'vitest';
import { withToken } from '../../src/api/app.js';
import { createRouter, MAX_BODY_BYTES, type Router } from '../../src/api/http/router.js';
import { formatSse, sendNdjson, sendSse } from '../../src/api/http/stream.js';
import { readJson } from '../../src/api/validate.js';
import { useInject } from './inject.js';

const serve = useInject();

/** A router under the API prefix with the routes a test adds. */
async function served(add: (r: Router) => void) {
  const router = createRouter('/api/v1');
  add(router);
  return serve(router.listener);
}

const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

describe('router', () => {
  it('matches method and pattern, decodes params, reads the first query value and headers', async () => {
    const api = await served((r) => {
      r.get('/apps/:app/logs/:id', (c) =>
        c.json({
          app: c.param('app'),
          id: c.param('id'),
          n: c.query('n'),
          q: c.query('q'),
          none: c.query('x'),
          h: c.header('X-Test'),
        }),
      );
      r.post('/apps/:app/logs/:id', (c) => c.json({ posted: c.param('app') }, 201));
    });
    const res = await api.request('/api/v1/apps/a%20b/logs/7?n=1&n=2&q=a+b%2Bc', {
      headers: { 'x-test': 'yes' },
    });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/json']);
    expect(await res.json()).toEqual({ app: 'a b', id: '7', n: '1', q: 'a b+c', h: 'yes' });
    const posted = await api.request('/api/v1/apps/shop/logs/7', { method: 'POST' });
    expect([posted.status, await posted.json()]).toEqual([201, { posted: 'shop' }]);
    // HEAD is answered by the GET route, without a body.
    const head = await api.request('/api/v1/apps/shop/logs/7', { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('answers a JSON 404 for an unknown path, a wrong method, an empty segment or a trailing slash', async () => {
    const api = await served((r) => r.get('/apps/:app', (c) => c.json({ app: c.param('app') })));
    for (const [method, path] of [
      ['GET', '/api/v1/nope'],
      ['DELETE', '/api/v1/apps/shop'],
      ['GET', '/api/v1/apps/'],
      ['GET', '/api/v1/apps/shop/'],
      ['GET', '/api/v1//apps/shop'],
    ] as const) {
      const res = await api.request(path, { method });
      expect([res.status, await errorOf(res)], path).toEqual([
        404,
        {
          code: 'NS_API_NOT_FOUND',
          message: `no route ${method} ${path}`,
          hint: 'see docs for the API routes',
        },
      ]);
    }
  });

  it('maps thrown errors to the catalogue body and status; anything uncoded is a 500', async () => {
    const api = await served((r) => {
      r.get('/coded', () => {
        throw new NightshiftError(ErrorCodes.appNotFound, 'no app "x"', 'deploy it');
      });
      r.get('/plain', async () => {
        await Promise.resolve();
        throw new Error('boom');
      });
      r.post('/json', async (c) =>
        c.json(await readJson<{ a: number }>(c, (b) => typeof b.a === 'number', '{ "a": 1 }')),
      );
    });
    const coded = await api.request('/api/v1/coded');
    expect([coded.status, await coded.json()]).toEqual([
      404,
      { error: { code: 'NS_APP_NOT_FOUND', message: 'no app "x"', hint: 'deploy it' } },
    ]);
    const plain = await api.request('/api/v1/plain');
    expect([
      plain.status,
      (await errorOf(plain)).code,
      (await api.request('/api/v1/plain').then(errorOf)).message,
    ]).toEqual([500, 'NS_INTERNAL', 'boom']);
    const bad = await api.request('/api/v1/json', { method: 'POST', body: '{"a":' });
    expect([bad.status, (await errorOf(bad)).code]).toEqual([400, 'NS_API_BAD_REQUEST']);
    const good = await api.request('/api/v1/json', { method: 'POST', body: '{"a":1}' });
    expect(await good.json()).toEqual({ a: 1 });
  });

  it('refuses a body over the cap with a 413, declared or streamed, and keeps serving', async () => {
    const api = await served((r) => r.post('/echo', async (c) => c.json({ bytes: (await c.text()).length })));
    const declared = await api.request('/api/v1/echo', {
      method: 'POST',
      body: 'x'.repeat(MAX_BODY_BYTES + 1),
    });
    expect([declared.status, (await errorOf(declared)).code]).toEqual([413, 'NS_API_BODY_TOO_LARGE']);
    // Chunked, so the size is known only while reading.
    const chunk = new TextEncoder().encode('y'.repeat(256 * 1024));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const streamed = await api.request('/api/v1/echo', {
      method: 'POST',
      body,
      duplex: 'half',
    });
    expect([streamed.status, (await errorOf(streamed)).code]).toEqual([413, 'NS_API_BODY_TOO_LARGE']);
    const fits = await api.request('/api/v1/echo', { method: 'POST', body: 'z'.repeat(MAX_BODY_BYTES) });
    expect(await fits.json()).toEqual({ bytes: MAX_BODY_BYTES });
  });
});

describe('withToken (the TCP listener)', () => {
  it('needs the bearer token or the login cookie (401), and refuses one-off routes however they are spelled (403)', async () => {
    const router = createRouter('/api/v1');
    router.get('/daemon', (c) => c.json({ ok: true }));
    router.post('/apps/:app/run', (c) => c.json({ env: 'secret values' }));
    const tcp = await serve(withToken(router.listener, 'tok'));
    for (const headers of [
      {},
      { authorization: 'Bearer nope' },
      { authorization: 'tok' },
      { cookie: 'nightshift_session=nope' },
      // The token itself is no cookie: only a session opened by a login is.
      { cookie: 'nightshift_token=tok' },
      { cookie: 'nightshift_session=tok' },
    ]) {
      const res = await tcp.request('/api/v1/daemon', { headers });
      expect([res.status, (await errorOf(res)).code], JSON.stringify(headers)).toEqual([
        401,
        'NS_API_UNAUTHORIZED',
      ]);
    }
    // Unknown routes need the token too: nothing about the API is told to a stranger.
    expect((await tcp.request('/api/v1/nope')).status).toBe(401);
    expect(
      await (await tcp.request('/api/v1/daemon', { headers: { authorization: 'Bearer tok' } })).json(),
    ).toEqual({
      ok: true,
    });
    const auth = { authorization: 'Bearer tok' };
    for (const path of [
      '/api/v1/apps/shop/run',
      '/api/v1/apps/shop/run/',
      '/api/v1/apps/shop/%72un',
      '/api/v1/apps/sh%2Fop/run',
    ]) {
      const res = await tcp.request(path, { method: 'POST', headers: auth, body: '{}' });
      expect([res.status, (await errorOf(res)).code], path).toEqual([403, 'NS_API_LOCAL_ONLY']);
    }
    // The Unix socket's listener (no token) serves it.
    const local = await serve(router.listener);
    expect(
      await (await local.request('/api/v1/apps/shop/%72un', { method: 'POST', body: '{}' })).json(),
    ).toEqual({ env: 'secret values' });
  });
});

describe('streams', () => {
  it('frames Server-Sent Events as clients parse them: event, one data line per line, id', async () => {
    const api = await served((r) =>
      r.get('/sse', (c) =>
        sendSse(c, async (stream) => {
          await stream.writeSSE({ id: '41', event: 'line', data: 'a\nb\r\nc' });
          await stream.writeSSE({ event: 'ping', data: '' });
          await stream.writeSSE({ data: '{"x":1}' });
        }),
      ),
    );
    const res = await api.request('/api/v1/sse');
    expect([res.status, res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual([
      200,
      'text/event-stream',
      'no-cache',
    ]);
    expect(await res.text()).toBe(
      'event: line\ndata: a\ndata: b\ndata: c\nid: 41\n\nevent: ping\ndata: \n\ndata: {"x":1}\n\n',
    );
    expect(() => formatSse({ id: '1\ndata: forged', data: '' })).toThrow(/line break/);
  });

  it('tells the stream when the client goes away, and drops later writes', async () => {
    let aborted!: () => void;
    const gone = new Promise<void>((resolve) => (aborted = resolve));
    let after: boolean | undefined;
    const api = await served((r) =>
      r.get('/sse', (c) =>
        sendSse(c, async (stream) => {
          await stream.writeSSE({ event: 'hello', data: '' });
          await new Promise<void>((resolve) => stream.onAbort(resolve));
          await stream.writeSSE({ event: 'late', data: '' }); // must not throw
          after = stream.aborted;
          aborted();
        }),
      ),
    );
    const client = new AbortController();
    const res = await api.request('/api/v1/sse', { signal: client.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('event: hello\ndata: \n\n');
    client.abort();
    await gone;
    expect(after).toBe(true);
  });

  it('streams NDJSON line by line: the first line arrives before the second is written', async () => {
    let release!: () => void;
    const second = new Promise<void>((resolve) => (release = resolve));
    const api = await served((r) =>
      r.post('/deploy', (c) =>
        sendNdjson(c, async (out) => {
          await out.send({ type: 'line', line: 'building' });
          await second;
          await out.send({ type: 'result', result: { release: 'v2' } });
        }),
      ),
    );
    const res = await api.request('/api/v1/deploy', { method: 'POST' });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"type":"line","line":"building"}\n');
    release();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('{"type":"result","result":{"release":"v2"}}\n');
  });
});
