import type { AppSpec, ManifestDiagnostic } from './spec.js';

/**
 * The text form of a diagnostic, two lines:
 * `.paas/app.yaml:7:15 error NS_MANIFEST_WRONG_TYPE workers[1].replicas: expected a whole number, got …`
 * `  hint: …`
 */
export function formatDiagnostic(d: ManifestDiagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}\n  hint: ${d.hint}`;
}

/** The line after a capped list: `… and 19,900 more errors`. */
export function formatOmitted(count: number, severity: 'error' | 'warning'): string {
  return `… and ${count.toLocaleString('en-US')} more ${severity}${count === 1 ? '' : 's'}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function range(min: number, max: number): string {
  return min === max ? `${min}` : `${min}–${max}`;
}

/**
 * One line that says what the app runs: `shop: web, 2 workers (3 replicas), 2 cron jobs, redis`.
 * Autoscaled processes count as their range (`2 workers (3–8 replicas)`).
 */
export function summarize(spec: AppSpec): string {
  const parts: string[] = [];
  if (spec.web) {
    const { replicas, autoscale } = spec.web;
    const count = autoscale ? range(autoscale.min, autoscale.max) : `${replicas ?? 1}`;
    parts.push(count === '1' ? 'web' : `web (${count} replicas)`);
  }
  if (spec.workers.length > 0) {
    let min = 0;
    let max = 0;
    for (const worker of spec.workers) {
      min += worker.autoscale ? worker.autoscale.min : (worker.replicas ?? 0);
      max += worker.autoscale ? worker.autoscale.max : (worker.replicas ?? 0);
    }
    parts.push(
      `${plural(spec.workers.length, 'worker')} (${range(min, max)} replica${max === 1 ? '' : 's'})`,
    );
  }
  if (spec.cron.length > 0) parts.push(plural(spec.cron.length, 'cron job'));
  if (spec.redis) parts.push('redis');
  return `${spec.name}: ${parts.length > 0 ? parts.join(', ') : 'nothing to run'}`;
}
