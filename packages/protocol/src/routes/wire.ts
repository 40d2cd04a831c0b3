import type { BodyOf, ParamsOf, QueryOf, RouteDeclaration } from './define.js';

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

/** The full declaration a wire route stands for (a union of routes gives the union of theirs). */
export type DeclOf<W> = W extends WireRoute<infer R extends RouteDeclaration> ? R : never;

/** What a call of `route` sends: its path's params, its query (unset values left out) and its body. */
export type CallOptions<W extends WireRoute> = Call<DeclOf<W>>;

type Call<R extends RouteDeclaration> = (R extends RouteDeclaration<infer P>
  ? keyof ParamsOf<P> extends never
    ? { params?: undefined }
    : { params: ParamsOf<P> }
  : never) & {
  readonly query?: Partial<Record<keyof QueryOf<R> & string, string | number | undefined>>;
  readonly body?: BodyOf<R>;
};

/** The path (under API_PREFIX) and query string of a call: the CLI and the dashboard build them alike. */
export function pathOfCall(route: WireRoute, opts: { params?: object; query?: object }): string {
  const path = pathOf(route, (opts.params ?? {}) as Record<string, string>);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) query.set(k, String(v));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
