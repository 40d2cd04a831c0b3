/**
 * @nightshift/render-kubernetes — the app manifest as Kubernetes objects, one render per region (cluster).
 * PURE: no filesystem, no processes, no clock. The CLI reads files and prints; this package only computes.
 */
export { renderKubernetes, renderRegions } from './render.js';
export { toYamlStream, documentYaml, fileName, header, HEADER_MARK } from './yaml.js';
export { parseSecretsFile } from './secrets-file.js';
export { locateField } from './locate.js';
export { parseSchedule, longestGapSeconds } from './schedule.js';
export type { ParsedSchedule, ScheduleParse } from './schedule.js';
export { newSink } from './diagnostics.js';
export type { DiagnosticSink, RenderCode } from './diagnostics.js';
export { DEFAULT_REGION } from './options.js';
export { MAX_NAME, MAX_CRONJOB_NAME, REGION_LABEL, CONFIG_HASH_ANNOTATION, MANAGED_BY } from './names.js';
export type * from './types.js';
