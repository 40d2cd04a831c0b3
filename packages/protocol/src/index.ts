export * from './errors.js';
export type * from './types.js';
export type * from './secrets.js';
export type * from './usage.js';
export type * from './dashboard.js';
export type * from './queues.js';
export { parseScaleArg } from './scale.js';

/** Path prefix of every API route. */
export const API_PREFIX = '/api/v1';

/** The most lines a plain JSON answer of `GET /apps/:app/logs` holds; its NDJSON answer has no limit. */
export const LOG_JSON_MAX_LINES = 100_000;
export { homeLayout, defaultHomeDir, type HomeLayout } from './home.js';
export * as api from './routes/api.js';
export { pathOf, pathOfCall, type WireRoute, type DeclOf, type CallOptions } from './routes/wire.js';
export type { RouteDeclaration, ParamsOf, QueryOf, BodyOf, AnswerOf } from './routes/define.js';
