import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair, YAMLMap, YAMLError } from 'yaml';

/** A path into the manifest, as zod reports it: `['workers', 1, 'replicas']`. */
export type ManifestPath = readonly PropertyKey[];

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The parsed YAML with what is needed to point back into the text. */
export interface ManifestSource {
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export function readYaml(text: string): ManifestSource {
  const lines = new LineCounter();
  // YAML 1.2 core schema (yes/no stay text); merge keys on, since manifests share blocks with anchors.
  // logLevel error: yaml would otherwise print warnings (e.g. collection keys) to the process's stderr.
  // uniqueKeys off: its check is quadratic; `duplicateKeyOffsets` does the same in linear time.
  const doc = parseDocument(text, {
    lineCounter: lines,
    merge: true,
    prettyErrors: false,
    uniqueKeys: false,
    logLevel: 'error',
  });
  return { text, doc, lines };
}

export function positionAt(source: ManifestSource, offset: number): Position {
  const { line, col } = source.lines.linePos(Math.max(0, Math.min(offset, source.text.length)));
  return { line, column: col };
}

export function positionOfError(source: ManifestSource, error: YAMLError): Position {
  return positionAt(source, error.pos[0]);
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

// Pairs of each mapping by key text, built on first use: a mapping with 100,000 keys, each with a problem to
// locate, would otherwise be searched from the top for every one of them (quadratic: minutes at 1 MiB).
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const text = keyText(pair.key);
      // The first pair wins, as the linear search did (a duplicate key is reported by YAML itself).
      if (text !== undefined && !index.has(text)) index.set(text, pair);
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

function start(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}

/**
 * Where a path points in the text. `at: 'key'` gives the key of the last segment (for unknown keys), `'value'`
 * its value. A path that does not exist in the text (a missing key) falls back to the nearest node that does,
 * so every diagnostic has a line and a column.
 */
export function locate(source: ManifestSource, path: ManifestPath, at: 'key' | 'value' = 'value'): Position {
  let node: unknown = source.doc.contents;
  let offset = start(source.doc.contents) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(source.doc);
    const segment = path[i];
    let next: unknown;
    let keyOffset: number | undefined;
    if (isMap(node)) {
      const pair = pairOf(node, String(segment));
      if (!pair) break;
      keyOffset = start(pair.key as Node | null);
      next = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
      if (next === undefined) break;
    } else {
      break;
    }
    const last = i === path.length - 1;
    if (last && at === 'key' && keyOffset !== undefined) return positionAt(source, keyOffset);
    offset = start(next as Node | null) ?? keyOffset ?? offset;
    node = next;
  }
  return positionAt(source, offset);
}

/** The text of a plain scalar as written (`1.10` stays "1.10", `0x1F` stays "0x1F"); null if not a scalar. */
export function scalarText(source: ManifestSource, path: ManifestPath): string | null {
  let node: unknown = source.doc.contents;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(source.doc);
    if (isMap(node)) node = pairOf(node, String(segment))?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return null;
  }
  if (isAlias(node)) node = node.resolve(source.doc);
  if (!isScalar(node) || !node.range) return null;
  return source.text.slice(node.range[0], node.range[1]);
}

/** `['workers', 1, 'env', 'A.B']` → `workers[1].env["A.B"]`. */
export function formatPath(path: ManifestPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(segment)))
      out += out ? `.${String(segment)}` : String(segment);
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}
