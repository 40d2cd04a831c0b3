import { refuse, type DiagnosticSink } from './diagnostics.js';

/**
 * Reads `NAME=value` lines (blank lines and `#` comments skipped; the value is everything after the first
 * `=`, verbatim). This is what `--secrets-file` accepts until the CLI can ask the daemon's store.
 */
export function parseSecretsFile(text: string, file: string, sink: DiagnosticSink): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = raw.indexOf('=');
    const name = eq > 0 ? raw.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      // The line itself is not echoed: it may hold a secret value.
      refuse(
        sink,
        'NS_RENDER_K8S_SECRETS_FILE_INVALID',
        `${file}:${i + 1}`,
        `line ${i + 1} is not NAME=value`,
        'write one NAME=value a line; names are letters, digits and "_"',
      );
      continue;
    }
    values[name] = raw.slice(eq + 1);
  }
  return values;
}
