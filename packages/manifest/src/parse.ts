import { crossFieldFindings } from './checks/index.js';
import { asList, asMap, asString } from './checks/raw.js';
import { compile } from './compile.js';
import { finding } from './finding.js';
import type { Finding } from './finding.js';
import { toFindings } from './issues.js';
import { manifestSchema } from './schema.js';
import { locate, positionOfError, readYaml } from './source.js';
import type { ManifestSource } from './source.js';
import type { ManifestDiagnostic, ParseOptions, ParseResult } from './spec.js';

// Guards against "billion laughs": a document whose aliases expand without bound.
const MAX_ALIAS_COUNT = 1000;

function yamlDiagnostics(source: ManifestSource, file: string): ManifestDiagnostic[] {
  return source.doc.errors.map((error) => {
    const duplicate = error.code === 'DUPLICATE_KEY';
    const { line, column } = positionOfError(source, error);
    const message = duplicate
      ? 'this key appears twice in the same mapping'
      : (error.message.split('\n')[0] ?? error.message);
    return {
      severity: 'error',
      code: duplicate ? 'NS_MANIFEST_DUPLICATE_KEY' : 'NS_MANIFEST_YAML_SYNTAX',
      message: duplicate ? message : `YAML: ${message}`,
      hint: duplicate
        ? 'keep one of the two keys'
        : 'fix the YAML at this position (indentation, quotes, brackets, a missing ":")',
      file,
      line,
      column,
    };
  });
}

function located(source: ManifestSource, file: string, f: Finding): ManifestDiagnostic {
  const { line, column } = locate(source, f.path, f.at);
  return { severity: f.severity, code: f.code, message: f.message, hint: f.hint, file, line, column };
}

function byPosition(a: ManifestDiagnostic, b: ManifestDiagnostic): number {
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}

function unique(diagnostics: ManifestDiagnostic[]): ManifestDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function result(diagnostics: ManifestDiagnostic[]): ParseResult & { ok: false } {
  const sorted = unique(diagnostics).sort(byPosition);
  return {
    ok: false,
    errors: sorted.filter((d) => d.severity === 'error'),
    warnings: sorted.filter((d) => d.severity === 'warning'),
  };
}

/**
 * Parses `.paas/app.yaml` text into a read-only, fully defaulted `AppSpec`, or reports every problem of the file
 * (YAML syntax; else schema and cross-field rules together), each located by line and column. Never throws for
 * any input text. PURE: no file access and no clock (`options.now` is the reference time for cron checks).
 */
export function parseManifest(text: string, options: ParseOptions): ParseResult {
  const source = readYaml(text);
  if (source.doc.errors.length > 0) return result(yamlDiagnostics(source, options.file));

  let raw: unknown;
  try {
    raw = source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return result([
      located(
        source,
        options.file,
        finding('NS_MANIFEST_YAML_SYNTAX', [], `YAML: ${message}`, {
          hint: 'use fewer nested aliases (*name)',
        }),
      ),
    ]);
  }

  const findings: Finding[] = [];
  const parsed = manifestSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success)
    findings.push(...parsed.error.issues.flatMap((issue) => toFindings(manifestSchema, issue)));
  const root = asMap(raw);
  if (root) {
    const regions = new Set(asList(root.regions).flatMap((r) => (typeof r === 'string' ? [r] : [])));
    findings.push(
      ...crossFieldFindings({ root, now: options.now, defaultName: options.defaultName, regions }),
    );
  }
  const diagnostics = findings.map((f) => located(source, options.file, f));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!parsed.success || errors.length > 0) return result(diagnostics);

  const name = asString(root?.name) ?? options.defaultName ?? '';
  return { ok: true, spec: compile(parsed.data, source, name), warnings: result(diagnostics).warnings };
}
