import * as table from './table.js';
import type { RouteDeclaration } from './define.js';

export { type RouteDeclaration, type ParamsOf, type QueryOf, type BodyOf, type AnswerOf } from './define.js';
export { pathOf } from './wire.js';

/**
 * `@nightshift/protocol/routes`: the full declarations, zod schemas included, for the daemon's router and the
 * tests that hold answers to them. The CLI uses the zod-free `api` of the package's main entry.
 */
export const routes = table;

/** Every route, for the daemon's router and the tests that hold it to the table. */
export const ROUTES: readonly RouteDeclaration[] = Object.values(table);
