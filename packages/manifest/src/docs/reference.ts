import { FORMAT_PATTERNS } from '../fields.js';
import { manifestJsonSchema } from '../json-schema.js';

// Renders docs/manifest.md from the JSON Schema, so the reference is exactly what the validator accepts.

interface JsonSchema {
  readonly title?: string;
  readonly description?: string;
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
}

const SCALARS: Readonly<Record<string, string>> = {
  string: 'text',
  integer: 'whole number',
  number: 'number',
  boolean: '`true`/`false`',
};

function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  [FORMAT_PATTERNS.name]: 'name: `[a-z][a-z0-9-]{0,39}`',
  [FORMAT_PATTERNS.processName]: 'name: `[A-Za-z][A-Za-z0-9_-]{0,39}`',
  [FORMAT_PATTERNS.duration]: 'duration',
  [FORMAT_PATTERNS.memory]: 'memory size',
  [FORMAT_PATTERNS.size]: 'size',
};

function typeOf(node: JsonSchema): string {
  const format = node.pattern === undefined ? undefined : FORMAT_NAMES[node.pattern];
  if (format) return format;
  if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
  if (node.enum) return `one of ${node.enum.map((v) => `\`${String(v)}\``).join(', ')}`;
  if (node.properties && node.title) return `[${node.title}](#${anchor(node.title)})`;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  return types
    .map((type) => {
      if (type === 'array') return `list of ${node.items ? typeOf(node.items) : 'values'}`;
      if (type === 'object') {
        const values =
          typeof node.additionalProperties === 'object' ? typeOf(node.additionalProperties) : 'values';
        return `mapping of names to ${values}`;
      }
      return SCALARS[String(type)] ?? String(type);
    })
    .join(' or ');
}

function constraints(node: JsonSchema): string[] {
  const out: string[] = [];
  if (node.minimum !== undefined && node.maximum !== undefined) out.push(`${node.minimum}–${node.maximum}`);
  else if (node.minimum !== undefined) out.push(`at least ${node.minimum}`);
  else if (node.maximum !== undefined) out.push(`at most ${node.maximum}`);
  if (node.pattern && !FORMAT_NAMES[node.pattern]) out.push(`matches \`${node.pattern}\``);
  return out;
}

function field(key: string, node: JsonSchema, required: boolean): string {
  const facts = [typeOf(node), ...constraints(node), required ? '**required**' : '']
    .filter(Boolean)
    .join(', ');
  let line = `- \`${key}\` (${facts})`;
  if (node.description) line += `: ${node.description}`;
  if (node.default !== undefined)
    line += ` Default: \`${JSON.stringify(node.default).replace(/^"|"$/g, '')}\`.`;
  if (node.examples?.length) line += ` Examples: ${node.examples.map((e) => `\`${String(e)}\``).join(', ')}.`;
  return line;
}

/** Object schemas in document order, each once (web and workers share several). */
function collect(node: JsonSchema | undefined, into: Map<string, JsonSchema>): void {
  if (!node || typeof node !== 'object') return;
  if (node.properties && node.title && !into.has(node.title)) into.set(node.title, node);
  for (const child of Object.values(node.properties ?? {})) collect(child, into);
  for (const option of node.anyOf ?? []) collect(option, into);
  collect(node.items, into);
  if (typeof node.additionalProperties === 'object') collect(node.additionalProperties, into);
}

/** The manifest reference (Markdown). Generated; do not edit docs/manifest.md by hand. */
export function manifestReferenceMarkdown(): string {
  const root = manifestJsonSchema() as JsonSchema;
  const sections = new Map<string, JsonSchema>();
  collect(root, sections);
  const out: string[] = [
    '# Manifest reference: `.paas/app.yaml`',
    '',
    '<!-- Generated from the zod schema by `npm run schema`; do not edit by hand. -->',
    '',
    'Manifests in the `.paas/app.yaml` shape that existing platforms use (`redis`, `workers[].name/start/replicas`,',
    '`cron[].name/schedule/command`) validate unchanged; everything else is optional with a default. Unknown keys',
    'are errors. Durations are text with a unit (`500ms`, `10s`, `5m`, `1h`, `1d`, or `1h30m`), memory sizes too',
    '(`512Mi`, `1Gi`), CPU is cores (`0.5`) or millicores (`"500m"`). Check a file with `nightshift validate`.',
    '',
    'Editors that use yaml-language-server complete and check the file with the JSON Schema',
    '(`packages/manifest/schema/app.schema.json`), named in a first-line comment:',
    '',
    '```yaml',
    '# yaml-language-server: $schema=<path or URL of app.schema.json>',
    '```',
  ];
  for (const [title, node] of sections) {
    const required = new Set(node.required ?? []);
    out.push('', `## ${node === root ? 'Top level' : title}`, '');
    if (node.description && node !== root) out.push(node.description, '');
    for (const [key, child] of Object.entries(node.properties ?? {}))
      out.push(field(key, child, required.has(key)));
  }
  return out.join('\n') + '\n';
}
