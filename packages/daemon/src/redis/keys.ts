import type { AdminConnection } from './admin.js';

const SCAN_COUNT = 1000;

/** Escapes glob characters so `SCAN MATCH` sees the prefix literally (app names have none; this is belt and braces). */
const globLiteral = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/** One `SCAN MATCH <prefix>*` batch as admin: the next cursor and the keys found. */
async function scanStep(admin: AdminConnection, cursor: string, prefix: string): Promise<[string, string[]]> {
  return (await admin.call('SCAN', cursor, 'MATCH', `${globLiteral(prefix)}*`, 'COUNT', SCAN_COUNT)) as [
    string,
    string[],
  ];
}

/**
 * Deletes every key under `prefix` (SCAN MATCH + UNLINK as admin, a batch at a time) and returns how many.
 * `foo:` never matches `foobar:…`: the colon is part of the prefix.
 */
export async function purgeKeys(admin: AdminConnection, prefix: string): Promise<number> {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await scanStep(admin, cursor, prefix);
    if (keys.length > 0) removed += Number(await admin.call('UNLINK', ...keys));
    cursor = next;
  } while (cursor !== '0');
  return removed;
}

/**
 * The number of keys under `prefix`, counted with SCAN as admin. A very large keyspace is sampled: after
 * `maxSteps` batches the count so far is scaled by the share of the keyspace walked (`exact: false`).
 */
export async function countKeys(
  admin: AdminConnection,
  prefix: string,
  maxSteps = 100,
): Promise<{ keys: number; exact: boolean }> {
  let cursor = '0';
  let found = 0;
  let steps = 0;
  do {
    const [next, keys] = await scanStep(admin, cursor, prefix);
    found += keys.length;
    cursor = next;
    steps++;
  } while (cursor !== '0' && steps < maxSteps);
  if (cursor === '0') return { keys: found, exact: true };
  const total = Number(await admin.call('DBSIZE'));
  const walked = Math.min(total, steps * SCAN_COUNT);
  return { keys: walked > 0 ? Math.round((found * total) / walked) : found, exact: false };
}
