import type * as z from 'zod';
import { typeHints } from './fields.js';
import type { ManifestPath } from './source.js';

// Reads zod's own definitions (`_zod.def`, the documented surface for library authors) to find the schema that
// governs a path: the keys allowed there (for "did you mean") and the hint registered for its type.

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

function defOf(schema: z.ZodType): Def {
  const def: unknown = schema._zod.def;
  return def as Def;
}

/** The schemas met along the way to the innermost one (wrappers included), outermost first. */
function unwrapChain(schema: z.ZodType): z.ZodType[] {
  const chain = [schema];
  let def = defOf(schema);
  while ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) {
    chain.push(def.innerType);
    def = defOf(def.innerType);
  }
  return chain;
}

function innermost(schema: z.ZodType): z.ZodType {
  const chain = unwrapChain(schema);
  return chain[chain.length - 1] ?? schema;
}

function step(schema: z.ZodType, segment: PropertyKey): z.ZodType | undefined {
  const def = defOf(innermost(schema));
  switch (def.type) {
    case 'object':
      return def.shape?.[String(segment)];
    case 'array':
      return def.element;
    case 'record':
      return def.valueType;
    case 'union':
      for (const option of def.options ?? []) {
        const found = step(option, segment);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

export function schemaAt(root: z.ZodType, path: ManifestPath): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  for (const segment of path) {
    if (!schema) return undefined;
    schema = step(schema, segment);
  }
  return schema;
}

/** The keys an object at `path` accepts; empty when the path is not an object. */
export function keysAt(root: z.ZodType, path: ManifestPath): string[] {
  const schema = schemaAt(root, path);
  if (!schema) return [];
  const def = defOf(innermost(schema));
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** The wrong-type hint registered for the field at `path`, if any. */
export function typeHintAt(root: z.ZodType, path: ManifestPath): string | undefined {
  const schema = schemaAt(root, path);
  if (!schema) return undefined;
  for (const s of unwrapChain(schema)) {
    const hint = typeHints.get(s);
    if (hint) return hint.wrongType;
  }
  return undefined;
}
