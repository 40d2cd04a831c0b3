export { UsageSampler, type LatestUsage, type SamplerDeps } from './sampler.js';
export { UsageViews, type SeriesQuery } from './service.js';
export { procUsageReader } from './proc-usage.js';
export type { GroupUsage, UsageReader } from './usage.js';
