export { runDaemon } from './run.js';
export { startDaemon, type RunningDaemon } from './main.js';
export { parseDaemonConfig, type DaemonConfig } from './config.js';
export { homePaths, defaultHome, type HomePaths } from './home.js';
export { createApi, withToken } from './api/app.js';
export { appPrefix, appRule, appUser } from './redis/index.js';
