import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name: a histogram's `_bucket`/`_sum`/`_count` lines keep theirs. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** As the target wrote it (`1.5`, `+Inf`, `NaN`): re-exposed unchanged. */
  readonly value: string;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: FamilyType;
  readonly samples: readonly Sample[];
}

interface ParsedFamily {
  name: string;
  help: string;
  metrics: { value?: string; labels?: Record<string, string> }[];
}

const TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

/**
 * A target's text exposition (format 0.0.4) as families of samples, read by `parse-prometheus-text-format`.
 * Its TYPE lines are taken out first and the families rebuilt from them here: the library folds a histogram's
 * or summary's series into one object and drops every label but `le`/`quantile`, so two labelled series of
 * one histogram would come out merged. Without their TYPE line, it reads each `_bucket`/`_sum`/`_count`
 * sample line with all of its labels. Throws on text that is not the format.
 */
export function parseExposition(text: string): Family[] {
  const parse = require('parse-prometheus-text-format') as (text: string) => ParsedFamily[];
  const types = new Map<string, FamilyType>();
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name, type, extra] = line.slice(7).trim().split(/\s+/);
      const lower = (type ?? '').toLowerCase();
      if (name === undefined || extra !== undefined || !TYPES.has(lower))
        throw new Error(`bad TYPE line: ${line}`);
      types.set(name, lower as FamilyType);
    } else kept.push(line);
  }
  const families = new Map<string, { name: string; help: string; type: FamilyType; samples: Sample[] }>();
  for (const parsed of parse(kept.join('\n'))) {
    const base = baseName(parsed.name, types);
    let family = families.get(base);
    if (!family)
      families.set(
        base,
        (family = { name: base, help: '', type: types.get(base) ?? 'untyped', samples: [] }),
      );
    if (parsed.name === base && parsed.help) family.help = parsed.help;
    for (const m of parsed.metrics) {
      if (m.value === undefined) continue;
      family.samples.push({ name: parsed.name, labels: m.labels ?? {}, value: m.value });
    }
  }
  return [...families.values()];
}

function baseName(name: string, types: ReadonlyMap<string, FamilyType>): string {
  if (types.has(name)) return name;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    if (SUFFIXES[types.get(base) ?? '']?.includes(suffix)) return base;
  }
  return name;
}

/** Labels the daemon adds; a target's own label of one of these names is kept as `exported_<name>`. */
export function withLabels(
  labels: Readonly<Record<string, string>>,
  added: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) out[k in added ? `exported_${k}` : k] = v;
  return { ...out, ...added };
}

/** Families in the text format, each HELP and TYPE once, samples in the order given. */
export function renderFamilies(families: Iterable<Family>): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help || `${f.name}, scraped from replicas`)}`);
    out.push(`# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) out.push(`${s.name}${renderLabels(s.labels)} ${s.value}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function renderLabels(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

const escapeHelp = (s: string) => s.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
const escapeLabel = (s: string) => s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
