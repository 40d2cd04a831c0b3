import type { Redactor } from '../logs/index.js';

/**
 * Values shorter than this are not redacted: a 3-character value would turn every log line containing those
 * three letters into noise, and would tell a reader where the value occurs. `secrets set` warns about them.
 */
export const REDACT_MIN_LENGTH = 6;

/**
 * The strings of one value that must not reach a log line: the value itself; each line of a multi-line value
 * (logs are split on newlines, so a PEM key can only ever appear there line by line); and the JSON-escaped form
 * when it differs (a structured logger writes `"url":"p\"ss"`). Fragments under `REDACT_MIN_LENGTH` are left out.
 */
export function fragmentsOf(value: string): string[] {
  const out = new Set<string>();
  const add = (text: string) => {
    if (text.length >= REDACT_MIN_LENGTH && !text.includes('\n')) out.add(text);
  };
  add(value);
  for (const line of value.split(/\r?\n/)) add(line);
  add(JSON.stringify(value).slice(1, -1));
  return [...out];
}

/**
 * A log redactor replacing every fragment of every given secret by `[secret:NAME]`; null when nothing qualifies.
 * It follows the log pipeline's contract (see `logs/types.ts`): the very same string back when nothing matched,
 * and a global `pattern` plus `longestBytes` so capture keeps a value whole across the 64 KiB split of a line.
 * It takes pairs rather than a name → value record because one name can stand for several fragments (the lines
 * of a multi-line value, a value replaced but still held by processes that have not restarted).
 */
export function secretRedactor(secrets: Iterable<readonly [name: string, value: string]>): Redactor | null {
  const byFragment = new Map<string, string>();
  for (const [name, value] of secrets) {
    for (const fragment of fragmentsOf(value)) if (!byFragment.has(fragment)) byFragment.set(fragment, name);
  }
  if (byFragment.size === 0) return null;
  // Longest first: a value containing another one is replaced whole.
  const fragments = [...byFragment.keys()].sort((a, b) => b.length - a.length);
  const source = fragments.map(escapeRegExp).join('|');
  const pattern = new RegExp(source, 'g');
  const redact = (message: string): string => {
    pattern.lastIndex = 0;
    if (!pattern.test(message)) return message;
    pattern.lastIndex = 0;
    return message.replace(pattern, (fragment) => `[secret:${byFragment.get(fragment) ?? '?'}]`);
  };
  const longestBytes = Math.max(...fragments.map((fragment) => Buffer.byteLength(fragment)));
  return Object.assign(redact, { pattern: new RegExp(source, 'g'), longestBytes });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
