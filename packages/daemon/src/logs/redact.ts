import type { Redactor } from './types.js';

/**
 * Builds a redactor that replaces each secret value by `[secret:NAME]`, with one combined regex (longer values
 * first, so a value containing another is replaced whole). A line without any value is returned as the very
 * same string, which lets capture test a whole chunk at once and keep its fast path.
 *
 * Empty values are ignored (they would match everywhere). Values containing a newline can never match: lines
 * are split on newlines before redaction.
 */
export function makeRedactor(secrets: Readonly<Record<string, string>>): Redactor {
  const byValue = new Map<string, string>();
  for (const [name, value] of Object.entries(secrets))
    if (value !== '' && !byValue.has(value)) byValue.set(value, name);
  if (byValue.size === 0) return Object.assign((message: string) => message, { longestBytes: 0 });
  const values = [...byValue.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(values.map(escapeRegExp).join('|'), 'g');
  const longestBytes = Math.max(...values.map((value) => Buffer.byteLength(value)));
  const redact = (message: string): string => {
    pattern.lastIndex = 0;
    if (!pattern.test(message)) return message;
    pattern.lastIndex = 0;
    return message.replace(pattern, (value) => `[secret:${byValue.get(value)}]`);
  };
  return Object.assign(redact, { pattern: new RegExp(pattern.source, 'g'), longestBytes });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
