import type { RenderDiagnostic } from './types.js';

/** Every code the render reports; each has a row in docs/errors.md ("Kubernetes render"). */
export type RenderCode =
  | 'NS_RENDER_K8S_INVALID_OPTION'
  | 'NS_RENDER_K8S_UNKNOWN_REGION'
  | 'NS_RENDER_K8S_RELEASE_REQUIRED'
  | 'NS_RENDER_K8S_SECRET_VALUE_MISSING'
  | 'NS_RENDER_K8S_NAME_INVALID'
  | 'NS_RENDER_K8S_NAME_TOO_LONG'
  | 'NS_RENDER_K8S_NAME_CLASH'
  | 'NS_RENDER_K8S_OVERLAP_UNSUPPORTED'
  | 'NS_RENDER_K8S_SCHEDULE_UNSUPPORTED'
  | 'NS_RENDER_K8S_SCHEDULE_NEVER'
  | 'NS_RENDER_K8S_RESTART_UNSUPPORTED'
  | 'NS_RENDER_K8S_AUTOSCALE_NO_METRIC'
  | 'NS_RENDER_K8S_AUTOSCALE_NEEDS_REQUEST'
  | 'NS_RENDER_K8S_AUTOSCALE_MIN_ZERO'
  | 'NS_RENDER_K8S_ENV_RESERVED'
  | 'NS_RENDER_K8S_ENV_SECRET_CONFLICT'
  | 'NS_RENDER_K8S_REGION_NOT_LISTED'
  | 'NS_RENDER_K8S_INLINE_SECRETS'
  | 'NS_RENDER_K8S_BUILD_NOT_RENDERED'
  | 'NS_RENDER_K8S_DEFAULT_IMAGE'
  | 'NS_RENDER_K8S_PREDEPLOY_ORDER'
  | 'NS_RENDER_K8S_SECRETS_FILE_INVALID';

/** Collects refusals and warnings while rendering, so one run reports every problem, not just the first. */
export interface DiagnosticSink {
  readonly errors: RenderDiagnostic[];
  readonly warnings: RenderDiagnostic[];
}

export function newSink(): DiagnosticSink {
  return { errors: [], warnings: [] };
}

/** Records a refusal: the render will not produce output. */
export function refuse(
  sink: DiagnosticSink,
  code: RenderCode,
  field: string,
  message: string,
  hint: string,
): void {
  sink.errors.push({ severity: 'error', code, field, message, hint });
}

/** Records something the user must know about an output that is still produced. */
export function warn(
  sink: DiagnosticSink,
  code: RenderCode,
  field: string,
  message: string,
  hint: string,
): void {
  sink.warnings.push({ severity: 'warning', code, field, message, hint });
}
