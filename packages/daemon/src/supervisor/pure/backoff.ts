import type { RestartSpec } from '@nightshift/manifest';

/** Delay before the next start after `streak` consecutive crashes (0-based): base·2^streak, capped. */
export function backoffDelay(streak: number, restart: RestartSpec): number {
  // 2^31 already exceeds any sane cap; stop doubling before the number stops being exact.
  const factor = 2 ** Math.min(streak, 31);
  return Math.min(restart.backoffMs * factor, restart.maxBackoffMs);
}
