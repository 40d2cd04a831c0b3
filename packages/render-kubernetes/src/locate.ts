import { LineCounter, isNode, parseDocument } from 'yaml';

/**
 * The line and column of a manifest field named by a render diagnostic (`workers[0].restart.backoff`), so the
 * CLI can point at it like the manifest's own errors do. A field left to its default is not in the text: the
 * nearest written ancestor is returned instead. Null for option fields (`--image`) or unparsable text.
 */
export function locateField(text: string, field: string): { line: number; column: number } | null {
  if (field.startsWith('-')) return null;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) return null;
  const path = field
    .split('.')
    .flatMap((part) => part.split(/\[(\d+)\]/).filter((p) => p !== ''))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let length = path.length; length > 0; length--) {
    const node: unknown = doc.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return null;
}
