/**
 * `--match PATH=VALUE` for `queues cancel`: which waiting jobs a bulk removal takes. PURE.
 *
 * The path is read from the job as BullMQ stores it (`data.tenant`, `name`, `data.items.0.sku`; a leading `$.`
 * is accepted, as JSONPath writes it). A job matches when the value there is a string, number, boolean or null
 * whose text is VALUE (`data.priority=3` matches 3 and "3"), or an object or array whose JSON is VALUE exactly.
 */

/** A parsed `--match`. */
export interface JobMatch {
  readonly path: readonly string[];
  readonly value: string;
}

/** Parses `{ path, value }` as the API receives it; `null` when the path is empty or malformed. */
export function parseMatch(path: string, value: string): JobMatch | null {
  const trimmed = path.trim().replace(/^\$\./, '');
  if (trimmed === '') return null;
  const parts = trimmed.split('.');
  if (parts.some((part) => part === '')) return null;
  return { path: parts, value };
}

/** Whether `job` (the fields BullMQ gives: name, data, opts, …) matches. */
export function matches(job: unknown, match: JobMatch): boolean {
  let at: unknown = job;
  for (const part of match.path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, part)) return false;
    at = (at as Record<string, unknown>)[part];
  }
  if (at === null) return match.value === 'null';
  if (typeof at === 'object') return JSON.stringify(at) === match.value;
  if (typeof at === 'string' || typeof at === 'number' || typeof at === 'boolean')
    return String(at) === match.value;
  return false;
}
