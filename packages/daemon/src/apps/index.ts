export { Apps } from './apps.js';
export type { AppsDeps } from './deps.js';
export type { DeployOptions } from './deploy.js';
export { AppQueue } from './queue.js';
export { appEnvironments, type AppEnvironments, type AppEnvSources } from './environment.js';
export { cronFollowsLiveRelease } from './cron-follow.js';
export { logRetentionFollowsLiveRelease, retentionOf } from './logs-follow.js';
export type { ScaleResult } from './scale.js';
