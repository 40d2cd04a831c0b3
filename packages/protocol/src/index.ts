export * from './errors.js';
export type * from './types.js';
export type * from './secrets.js';
export { parseScaleArg } from './scale.js';

/** Path prefix of every API route. */
export const API_PREFIX = '/api/v1';
export { homeLayout, defaultHomeDir, type HomeLayout } from './home.js';
