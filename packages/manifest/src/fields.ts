import * as z from 'zod';
import type { ManifestCode } from './codes.js';
import { commandLineProblem } from './command.js';
import { NAME_PATTERN, PROCESS_NAME_PATTERN } from './names.js';
import {
  formatDuration,
  formatSize,
  tryParseCpu,
  tryParseDuration,
  tryParseMemory,
  tryParseSize,
} from './units.js';

/**
 * Field types of the manifest schema. Format checks raise custom issues that carry a catalogue code in
 * `params`, so the issue mapper can report `NS_MANIFEST_INVALID_DURATION` rather than a generic zod message.
 */

/** JSON Schema patterns of the text formats; the reference names them instead of printing the regex. */
export const FORMAT_PATTERNS = {
  name: NAME_PATTERN.source,
  processName: PROCESS_NAME_PATTERN.source,
  duration: '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$',
  memory: '^\\d+(\\.\\d+)?(Ki|Mi|Gi|Ti|k|K|M|G|T)$',
  size: '^\\d+(\\.\\d+)?(Ki|Mi|Gi|Ti|k|K|M|G|T)B?$',
} as const;

/** Extra knowledge about a field type, used when its value has the wrong type (a number where a duration goes). */
export const typeHints = z.registry<{ readonly wrongType: string }>();

/** The longest value of each duration field, so `describe` can tell readers of the schema and the reference. */
const durationBounds = z.registry<{ readonly maxMs: number }>();

interface Failure {
  readonly code: ManifestCode;
  readonly message: string;
  readonly hint?: string;
}

function checked<T extends z.ZodType>(schema: T, problem: (value: z.output<T>) => Failure | null): T {
  return schema.check((ctx) => {
    const failure = problem(ctx.value);
    if (failure) {
      ctx.issues.push({
        code: 'custom',
        message: failure.message,
        input: ctx.value,
        params: { code: failure.code, hint: failure.hint },
      });
    }
  });
}

function hinted<T extends z.ZodType>(schema: T, wrongType: string): T {
  typeHints.add(schema, { wrongType });
  return schema;
}

/** `[a-z][a-z0-9-]{0,39}` for apps and regions. */
export function name(what: string): z.ZodString {
  return checked(z.string(), (value) =>
    NAME_PATTERN.test(value)
      ? null
      : {
          code: 'NS_MANIFEST_INVALID_NAME',
          message: `${what} "${value}" is not a valid name`,
          hint: suggestName(value, 'dns'),
        },
  ).meta({ pattern: FORMAT_PATTERNS.name });
}

/** `[A-Za-z][A-Za-z0-9_-]{0,39}` for workers and cron jobs. */
export function processName(what: string): z.ZodString {
  return checked(z.string(), (value) =>
    PROCESS_NAME_PATTERN.test(value)
      ? null
      : {
          code: 'NS_MANIFEST_INVALID_NAME',
          message: `${what} "${value}" is not a valid name`,
          hint: suggestName(value, 'process'),
        },
  ).meta({ pattern: FORMAT_PATTERNS.processName });
}

const NAME_RULES = {
  dns: 'names use lower-case letters, digits and dashes, start with a letter, and have at most 40 characters',
  process: 'names use letters, digits, "-" and "_", start with a letter, and have at most 40 characters',
} as const;

function suggestName(value: string, kind: keyof typeof NAME_RULES): string {
  const fixed = (kind === 'dns' ? value.toLowerCase().replace(/[^a-z0-9-]+/g, '-') : value)
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .slice(0, 40);
  const base = NAME_RULES[kind];
  return fixed && fixed !== value ? `${base}: e.g. "${fixed}"` : base;
}

/**
 * A duration, at most `maxMs` long. Every duration has a bound: the daemon arms Node timers with them, and a
 * timer above 2^31-1 ms (24.8 days) fires at once (`stop_grace: 25d` SIGKILLed after 18 ms). The bounds are
 * what makes sense for each field (limits.ts), all far below that.
 */
export function duration(opts: { allowZero: boolean; maxMs: number }): z.ZodString {
  const max = formatDuration(opts.maxMs);
  const least = opts.allowZero ? '0s' : 'more than 0';
  const schema = checked(z.string(), (value) => {
    const ms = tryParseDuration(value);
    if (ms === null) return { code: 'NS_MANIFEST_INVALID_DURATION', message: `"${value}" is not a duration` };
    if (ms === 0 && !opts.allowZero) {
      return {
        code: 'NS_MANIFEST_INVALID_DURATION',
        message: 'the duration must be longer than 0',
        hint: 'e.g. 10s',
      };
    }
    if (ms > opts.maxMs) {
      return {
        code: 'NS_MANIFEST_DURATION_RANGE',
        message: `${value} is longer than ${max}, the most this field allows`,
        hint: `use a duration from ${least} to ${max}`,
      };
    }
    return null;
  }).meta({ pattern: FORMAT_PATTERNS.duration, examples: ['500ms', '10s', '5m', '1h30m'] });
  durationBounds.add(schema, { maxMs: opts.maxMs });
  return hinted(schema, 'durations are text with a unit: "30s", "5m", "1h"');
}

/** A memory size of at least `minBytes`. */
export function memory(minBytes: number): z.ZodString {
  const schema = checked(z.string(), (value) => {
    const bytes = tryParseMemory(value);
    if (bytes === null)
      return { code: 'NS_MANIFEST_INVALID_MEMORY', message: `"${value}" is not a memory size` };
    if (bytes < minBytes) {
      return {
        code: 'NS_MANIFEST_MEMORY_RANGE',
        message: `memory ${value} is below ${minBytes / 1024 / 1024}Mi, the least a limit may be`,
        hint: `use at least ${minBytes / 1024 / 1024}Mi (a Node.js process needs about 40Mi)`,
      };
    }
    return null;
  }).meta({ pattern: FORMAT_PATTERNS.memory, examples: ['512Mi', '1Gi'] });
  return hinted(schema, 'memory sizes are text with a unit: "512Mi", "1Gi"');
}

/** A size of stored data, at least `minBytes`. */
export function size(opts: { minBytes: number }): z.ZodString {
  const least = formatSize(opts.minBytes);
  const schema = checked(z.string(), (value) => {
    const bytes = tryParseSize(value);
    if (bytes === null) return { code: 'NS_MANIFEST_INVALID_SIZE', message: `"${value}" is not a size` };
    if (bytes < opts.minBytes) {
      return {
        code: 'NS_MANIFEST_INVALID_SIZE',
        message: `${value} is below ${least}, the least this field allows`,
        hint: `use ${least} or more, e.g. 500Mi`,
      };
    }
    return null;
  }).meta({ pattern: FORMAT_PATTERNS.size, examples: ['100Mi', '1GiB'] });
  return hinted(schema, 'sizes are text with a unit: "100Mi", "1GiB"');
}

export function cpu(): z.ZodType<number | string> {
  const schema = checked(z.union([z.number(), z.string()]), (value) =>
    tryParseCpu(value) === null
      ? { code: 'NS_MANIFEST_INVALID_CPU', message: `${JSON.stringify(value)} is not a CPU amount` }
      : null,
  ).meta({ examples: [0.5, '500m', 2] });
  return hinted(schema, 'CPU is a number of cores (0.5) or millicores ("500m")');
}

export function port(): z.ZodNumber {
  const schema = checked(z.int(), (value) =>
    value >= 1024 && value <= 65535
      ? null
      : {
          code: 'NS_MANIFEST_PORT_RANGE',
          message: `port ${value} is outside 1024–65535`,
          hint: 'use a port between 1024 and 65535 (ports below 1024 need root)',
        },
  ).meta({ minimum: 1024, maximum: 65535 });
  return hinted(schema, 'a port is a whole number between 1024 and 65535');
}

/** A command line, split into argv by shell rules (or run with `/bin/sh -c` when it uses shell syntax). */
export function commandLine(): z.ZodString {
  const schema = checked(z.string(), (value) => {
    const problem = commandLineProblem(value);
    return problem ? { code: 'NS_MANIFEST_COMMAND_SYNTAX', message: problem } : null;
  });
  return hinted(
    schema,
    'a command is text such as "node dist/worker.js"; quote it if YAML reads it as something else',
  );
}

export function commandList(): z.ZodArray<z.ZodString> {
  return z.array(z.string().min(1)).min(1);
}

export function httpPath(): z.ZodString {
  return checked(z.string(), (value) =>
    value.startsWith('/')
      ? null
      : {
          code: 'NS_MANIFEST_INVALID_VALUE',
          message: `path "${value}" must start with "/"`,
          hint: `write "/${value}"`,
        },
  ).meta({ pattern: '^/' });
}

/** An autoscale bound: `min` may be 0 (scale to zero), `max` at least 1. */
export function autoscaleBound(least: number): z.ZodNumber {
  const schema = checked(z.int(), (value) =>
    value >= least
      ? null
      : {
          code: 'NS_MANIFEST_AUTOSCALE_RANGE',
          message: `${value} is below ${least}`,
          hint: `use ${least} or more`,
        },
  ).meta({ minimum: least });
  return hinted(schema, 'write a whole number without quotes');
}

/** Utilisation target in percent. */
export function percent(): z.ZodNumber {
  return z.int().min(1).max(100);
}

export function count(min: number): z.ZodNumber {
  return hinted(z.int().min(min), 'write a whole number without quotes');
}

export function flag(): z.ZodBoolean {
  return hinted(z.boolean(), 'write true or false (YAML 1.2: yes/no/on/off are text)');
}

/** Plain config: scalars become strings (`5` → "5", as written in the file). */
export function envMap(): z.ZodRecord<z.ZodString, z.ZodType<string | number | boolean>> {
  const value = hinted(
    z.union([z.string(), z.number(), z.boolean()]),
    'environment values are text, numbers or true/false; write "" for an empty value',
  );
  return z.record(z.string(), value).meta({ propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } });
}

/** The schema inside `.optional()`: bounds are registered on the field type, descriptions on the field. */
function unwrapOptional(schema: z.ZodType): z.ZodType {
  const def = schema._zod.def as { readonly type: string; readonly innerType?: z.ZodType };
  return def.type === 'optional' && def.innerType ? def.innerType : schema;
}

/** Adds a description (and optional JSON Schema extras) without losing the field's type hint. */
export function describe<T extends z.ZodType>(
  schema: T,
  description: string,
  extra: Record<string, unknown> = {},
): T {
  const bound = durationBounds.get(unwrapOptional(schema));
  const text = bound ? `${description} At most ${formatDuration(bound.maxMs)}.` : description;
  const described = schema.meta({ description: text, ...extra });
  const hint = typeHints.get(schema);
  if (hint) typeHints.add(described, hint);
  return described;
}
