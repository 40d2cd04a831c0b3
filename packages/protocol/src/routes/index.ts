import * as table from './table.js';
import type { RouteDeclaration } from './define.js';

export { type RouteDeclaration, type ParamsOf, type QueryOf, type BodyOf, type AnswerOf } from './define.js';

/** Every route by name (`routes.scale`), for the CLI's `call(routes.scale, …)`. */
export const routes = table;

/** Every route, for the daemon's router and the tests that hold it to the table. */
export const ROUTES: readonly RouteDeclaration[] = Object.values(table);

/** `/apps/:app/ps` with `{ app: 'shop' }` → `/apps/shop/ps` (each param percent-encoded). */
export function pathOf(route: RouteDeclaration, params: Readonly<Record<string, string | number>>): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(params[name])));
}
