export type { Cgroup, CgroupLimits } from './cgroup.js';
export { type CgroupLayout, detectCgroups } from './detect.js';
export { type CgroupManager, type CgroupMode, createCgroupManager } from './manager.js';
export { startMemoryWatchdog, WATCHDOG_SAMPLES } from './watchdog.js';
