// The cross-field checks read the document as parsed from YAML, before (and whatever) zod says about it, so one
// run reports every problem. These helpers look at unknown values without trusting their shape.

export type RawMap = Readonly<Record<string, unknown>>;

export function asMap(value: unknown): RawMap | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawMap) : undefined;
}

export function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

export function has(map: RawMap | undefined, key: string): boolean {
  return map !== undefined && Object.hasOwn(map, key) && map[key] !== undefined;
}

/** A process of the manifest (web or a worker) with the path it sits at. */
export interface RawProcess {
  readonly path: readonly PropertyKey[];
  readonly map: RawMap;
  readonly kind: 'web' | 'worker';
}

export function processesOf(root: RawMap): RawProcess[] {
  const found: RawProcess[] = [];
  const web = asMap(root.web);
  if (web) found.push({ path: ['web'], map: web, kind: 'web' });
  asList(root.workers).forEach((item, index) => {
    const map = asMap(item);
    if (map) found.push({ path: ['workers', index], map, kind: 'worker' });
  });
  return found;
}

export function cronJobsOf(root: RawMap): { readonly path: readonly PropertyKey[]; readonly map: RawMap }[] {
  return asList(root.cron).flatMap((item, index) => {
    const map = asMap(item);
    return map ? [{ path: ['cron', index], map }] : [];
  });
}
