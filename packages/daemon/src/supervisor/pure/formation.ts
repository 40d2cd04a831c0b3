import type { ProcessSpec } from '@nightshift/manifest';

export interface FormationOverride {
  readonly scaled: number | null;
  readonly scaledAgainst: number | null;
  readonly stopped: boolean;
}

/** The manifest's own count for a process (autoscaled processes start at their minimum). */
export function manifestCount(proc: ProcessSpec): number {
  if (proc.kind === 'web') return 1;
  return proc.replicas ?? proc.autoscale?.min ?? 1;
}

/**
 * Replicas wanted for a process: a `scale` count wins until the manifest's own count changes from the one
 * it was set against; a stopped process wants none.
 */
export function desiredCount(proc: ProcessSpec, override: FormationOverride | undefined): number {
  if (override?.stopped) return 0;
  const fromManifest = manifestCount(proc);
  if (override && override.scaled !== null && override.scaledAgainst === fromManifest) return override.scaled;
  return fromManifest;
}

/** Applies `=N`, `+N`, `-N` to the current count, never below zero. */
export function applyScale(current: number, op: '=' | '+' | '-', count: number): number {
  if (op === '=') return count;
  if (op === '+') return current + count;
  return Math.max(0, current - count);
}
