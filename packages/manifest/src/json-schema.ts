import * as z from 'zod';
import { manifestSchema } from './schema.js';

function tidy(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) tidy(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  // zod writes the safe-integer range onto every int; it says nothing to a person or an editor.
  if (record.maximum === Number.MAX_SAFE_INTEGER) delete record.maximum;
  if (record.minimum === Number.MIN_SAFE_INTEGER) delete record.minimum;
  for (const value of Object.values(record)) tidy(value);
}

/**
 * The JSON Schema (draft 2020-12) of `.paas/app.yaml`, generated from the zod schema, for editor completion
 * (`# yaml-language-server: $schema=…`). It describes the input as written: durations and sizes are text.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(manifestSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  tidy(schema);
  return schema;
}
