export { createDrain } from './create.js';
export { Drain } from './drain.js';
export type { DrainOptions, DrainStats } from './options.js';
export type { ReplayReader } from './replay.js';
export { maskUrl, parseDrainUrl, DRAIN_SCHEMES, type DrainEndpoint } from './url.js';
export { formatSyslog, frameOctetCounted } from './syslog.js';
export { lokiBody, ndjsonRecord } from './http.js';
