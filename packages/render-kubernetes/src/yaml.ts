import { stringify } from 'yaml';
import type { RenderedObject } from './types.js';

/** Serialisation of a render: one multi-document YAML stream, or one file per object. */

/** First line of every rendered stream and file; the CLI recognises its own files by it. */
export const HEADER_MARK = '# Rendered by nightshift render kubernetes';

/** The comment block that opens a stream or a file. */
export function header(app: string, region: string, release: string): string {
  return `${HEADER_MARK}: app ${app}, region ${region}, release ${release}.\n# Re-render instead of editing; apply with kubectl apply -f or commit it for GitOps.\n`;
}

function comment(text: string | null): string {
  return text === null
    ? ''
    : text
        .split('\n')
        .map((line) => `# ${line}\n`)
        .join('');
}

/** One document, with its comment above it. Long strings are never folded: commands stay on one line. */
export function documentYaml(item: RenderedObject): string {
  return comment(item.comment) + stringify(item.object, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** All objects as one stream, `---` between documents. */
export function toYamlStream(objects: readonly RenderedObject[], head: string): string {
  return head + objects.map((item) => `---\n${documentYaml(item)}`).join('');
}

/** `03-deployment-shop-emails.yaml`: the number keeps `kubectl apply -f DIR` in render order. */
export function fileName(item: RenderedObject, index: number): string {
  return `${String(index + 1).padStart(2, '0')}-${item.object.kind.toLowerCase()}-${item.object.metadata.name}.yaml`;
}
