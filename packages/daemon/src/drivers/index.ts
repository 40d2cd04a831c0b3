export type * from './driver.js';
export { createLocalDriver } from './local/local-driver.js';
export { readProcStat, processesInGroup } from './local/proc.js';
