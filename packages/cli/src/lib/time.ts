import { ErrorCodes, NightshiftError } from '@nightshift/protocol';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `10m`, `2h`, `1d` (ago, from `now`) or an ISO-8601 time → epoch ms. */
export function parseTimeArg(value: string, flag: string, now = Date.now()): number {
  const rel = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  if (rel) return now - Number(rel[1]) * UNITS[rel[2]!]!;
  const abs = Date.parse(value);
  if (Number.isFinite(abs) && /^\d{4}-\d{2}-\d{2}/.test(value)) return abs;
  throw new NightshiftError(
    ErrorCodes.usage,
    `${flag} "${value}" is neither a duration nor an ISO-8601 time`,
    `e.g. ${flag} 10m, ${flag} 2h, or ${flag} 2026-11-23T18:00:00Z`,
  );
}

/** `30s`, `12h`, `1d` → milliseconds (a length of time, not a moment). */
export function parseDurationArg(value: string, flag: string): number {
  const rel = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
  if (rel) return Math.round(Number(rel[1]) * UNITS[rel[2]!]!);
  throw new NightshiftError(
    ErrorCodes.usage,
    `${flag} "${value}" is not a duration`,
    `e.g. ${flag} 30m, ${flag} 12h, ${flag} 1d`,
  );
}
