import type { RouteDeclaration } from './define.js';

/**
 * A route as the wire needs it: method and path (and how it answers). The CLI calls the API through these, so
 * its start never loads zod, which the full declarations (./table.ts) are built with; `declared` is never
 * set: it only carries the full declaration's types (params, query, body, answer) to the caller.
 */
export interface WireRoute<R extends RouteDeclaration = RouteDeclaration> {
  readonly method: R['method'];
  readonly path: R['path'];
  readonly answers?: RouteDeclaration['answers'];
  readonly status?: number;
  readonly declared?: R;
}

export function wireOf<R extends RouteDeclaration>(
  method: R['method'],
  path: R['path'],
  how: { answers?: RouteDeclaration['answers']; status?: number } = {},
): WireRoute<R> {
  return { method, path, ...how };
}

/** `/apps/:app/ps` with `{ app: 'shop' }` → `/apps/shop/ps` (each param percent-encoded). */
export function pathOf(
  route: { readonly path: string },
  params: Readonly<Record<string, string | number>>,
): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(params[name])));
}
