import type { AppSpec, WebSpec, WorkerSpec } from '@nightshift/manifest';

/** The long-running process types of a release: web first, then the workers in manifest order. */
export function processesOf(spec: AppSpec): (WebSpec | WorkerSpec)[] {
  return [...(spec.web ? [spec.web] : []), ...spec.workers];
}

/** One process type of a release by name, or null when the release has none of that name. */
export function processOf(spec: AppSpec, name: string): WebSpec | WorkerSpec | null {
  return processesOf(spec).find((p) => p.name === name) ?? null;
}
