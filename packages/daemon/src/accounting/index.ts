export { UsageRecorder, type RecorderDeps } from './recorder.js';
export { UsageReports, type UsageQuery } from './views.js';
export { parseUsageSettings, DEFAULT_USAGE_SETTINGS, type UsageSettings } from './settings.js';
