import { MANIFEST_CODES } from './codes.js';
import type { ManifestCode } from './codes.js';
import { formatPath } from './source.js';
import type { ManifestPath } from './source.js';

/** A problem before it is located in the text: the path says where, `at` whether the key or the value. */
export interface Finding {
  readonly code: ManifestCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly hint: string;
  readonly path: ManifestPath;
  readonly at: 'key' | 'value';
}

/**
 * Builds a finding; severity and (unless given) the hint come from the catalogue. The message is prefixed with
 * the path (`workers[1].replicas: …`) unless it is at the top level or `bare` says it names its place itself.
 */
export function finding(
  code: ManifestCode,
  path: ManifestPath,
  message: string,
  options: { hint?: string | undefined; at?: 'key' | 'value'; bare?: boolean } = {},
): Finding {
  const info = MANIFEST_CODES[code];
  const text = options.bare || path.length === 0 ? message : `${formatPath(path)}: ${message}`;
  return {
    code,
    severity: info.severity,
    message: text,
    hint: options.hint ?? info.hint,
    path,
    at: options.at ?? 'value',
  };
}
