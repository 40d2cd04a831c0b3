export { createDrain, Drain, type DrainOptions, type DrainStats } from './drain.js';
export type { ReplayReader } from './replay.js';
export { maskUrl, parseDrainUrl, DRAIN_SCHEMES, type DrainEndpoint } from './url.js';
export { formatSyslog, frameOctetCounted } from './syslog.js';
export { lokiBody, ndjsonRecord } from './http.js';
