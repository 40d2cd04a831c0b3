import { ROUTES } from '@nightshift/protocol/routes';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../src/api/app.js';
import type { ApiServices } from '../../src/api/services.js';
import { createRouter } from '../../src/api/http/router.js';
import { inject } from './inject.js';

describe('the route table', () => {
  it('the API serves every declared route: none answers NS_API_NOT_FOUND', async () => {
    // No services: a route that exists fails on its first use of one (a 500), never a 404 for the path.
    const services = {} as ApiServices;
    const request = inject(createApi(services));
    for (const route of ROUTES) {
      const path = '/api/v1' + route.path.replace(/:[A-Za-z]+/g, 'x1');
      const res = await request(path, {
        method: route.method,
        ...(route.method === 'POST' ? { body: '{}' } : {}),
      });
      if (res.status === 404) {
        const { error } = (await res.json()) as { error: { code: string } };
        expect(error.code, `${route.method} ${route.path}`).not.toBe('NS_API_NOT_FOUND');
      } else await res.body?.cancel();
    }
  });

  it('refuses to build a router with a route the protocol does not declare', () => {
    const router = createRouter('/api/v1', ROUTES);
    expect(() => router.get('/undeclared', (c) => c.json({}))).toThrow(/not declared/);
  });
});
