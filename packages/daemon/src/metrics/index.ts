export { UsageSampler, type LatestUsage, type SamplerDeps } from './sampler.js';
export { UsageViews, type SeriesQuery } from './service.js';
export { procUsageReader } from './proc-usage.js';
export { cgroupCpuReader } from './cgroup-usage.js';
export type { GroupUsage, UsageReader } from './usage.js';
export { EventCounters } from './prometheus/counters.js';
export { PrometheusEndpoint } from './prometheus/endpoint.js';
export { Scraper, type ScrapeResult } from './prometheus/scraper.js';
export type { SeriesSources } from './prometheus/daemon-series.js';
