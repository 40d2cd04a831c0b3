/**
 * @nightshift/manifest: `.paas/app.yaml` text → a read-only, defaulted `AppSpec`, or located diagnostics.
 * PURE: no file system, processes, sockets or clock. The reader of the file (CLI, daemon) passes the text in.
 */
export type * from './spec.js';

export { parseManifest } from './parse.js';
export { formatDiagnostic, formatOmitted, summarize } from './format.js';
export { manifestSizeDiagnostic } from './parse.js';
export { manifestSchema } from './schema.js';
export type { ManifestInput } from './schema.js';
export { manifestJsonSchema } from './json-schema.js';
export { MANIFEST_CODES, FILE_CODES, isManifestCode } from './codes.js';
export type { CodeInfo, ManifestCode } from './codes.js';
export { DEFAULTS } from './defaults.js';
export {
  NAME_PATTERN,
  PROCESS_NAME_PATTERN,
  dnsLabelOf,
  ENV_NAME_PATTERN,
  appNameFromFolder,
  isReservedEnvName,
  CRON_NICKNAMES,
} from './names.js';
export {
  MAX_CRON_JOBS,
  MAX_DURATION_MS,
  MAX_MANIFEST_BYTES,
  MAX_REPORTED_DIAGNOSTICS,
  MAX_WORKERS,
  MIN_LOG_RETAIN_BYTES,
  utf8Length,
} from './limits.js';
export { parseDuration, parseMemory, parseSize, parseCpu, formatDuration, formatSize } from './units.js';
export type { UnitError } from './units.js';
export { cronSlots, checkSchedule } from './cron.js';
export type { ScheduleCheck, ScheduleProblem } from './cron.js';
export { commandFromLine, commandFromList } from './command.js';
export { manifestReferenceMarkdown } from './docs/reference.js';
export { errorCatalogueMarkdown, spliceErrorSection } from './docs/catalogue.js';
