export type * from './spec.js';
