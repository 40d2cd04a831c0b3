export { QueueOps, type CancelResult } from './service.js';
export { locateQueues, type QueueHome, type QueueSourcesDeps } from './locate.js';
export { matches, parseMatch, type JobMatch } from './match.js';
