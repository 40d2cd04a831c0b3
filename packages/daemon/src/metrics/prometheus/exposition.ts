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
 * sample line with all of its labels. The library is lenient (an HTML page reads as a metric named `<html>`), so
 * every name, label name and value is checked too: one bad line makes the whole scrape fail rather than the
 * daemon's `/metrics` invalid. Throws on text that is not the format.
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
      const sample = { name: parsed.name, labels: m.labels ?? {}, value: m.value };
      checkSample(sample);
      family.samples.push(sample);
    }
  }
  return [...families.values()];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SPECIAL_VALUES = new Set(['+Inf', '-Inf', 'NaN']);

function checkSample(s: Sample): void {
  const bad = (what: string) => {
    throw new Error(`not the Prometheus text format: ${what}`);
  };
  if (!METRIC_NAME.test(s.name)) bad(`metric name ${JSON.stringify(s.name.slice(0, 80))}`);
  for (const label of Object.keys(s.labels))
    if (!LABEL_NAME.test(label)) bad(`label name ${JSON.stringify(label)}`);
  if (!SPECIAL_VALUES.has(s.value) && (s.value.trim() === '' || Number.isNaN(Number(s.value)))) {
    bad(`value ${JSON.stringify(s.value.slice(0, 40))} of ${s.name}`);
  }
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
