export * from './types.js';
export { EventBus } from './bus.js';
