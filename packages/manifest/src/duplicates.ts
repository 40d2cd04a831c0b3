import { isMap, isScalar, visit } from 'yaml';
import type { Document } from 'yaml';

/**
 * Offsets of keys that repeat an earlier key of the same mapping. The yaml library can check this itself
 * (`uniqueKeys`), but it compares each key with every earlier one: a mapping of 60,000 keys took 20 s. One set
 * per mapping makes it linear. Keys are equal as the library's check has them: the same scalar value.
 */
export function duplicateKeyOffsets(doc: Document.Parsed): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        // Only scalars can be equal: the library compares other keys (collections) by identity.
        if (!isScalar(pair.key)) continue;
        const value: unknown = pair.key.value;
        if (seen.has(value)) offsets.push(pair.key.range?.[0] ?? 0);
        else seen.add(value);
      }
    },
  });
  return offsets;
}
