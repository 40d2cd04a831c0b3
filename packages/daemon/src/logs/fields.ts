/**
 * The structured fields of a message written as one JSON object (pino, bunyan, winston's JSON format…), or
 * undefined for any other message. Cheap for plain text: only a message that starts with `{` and ends with `}`
 * is parsed.
 */
export function parseFields(message: string): Record<string, unknown> | undefined {
  const text = message.trim();
  if (text.length < 2 || text.charCodeAt(0) !== 123 || text.charCodeAt(text.length - 1) !== 125)
    return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
