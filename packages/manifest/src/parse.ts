import { crossFieldFindings } from './checks/index.js';
import { asList, asMap, asString } from './checks/raw.js';
import { compile } from './compile.js';
import { finding } from './finding.js';
import type { Finding } from './finding.js';
import { duplicateKeyOffsets } from './duplicates.js';
import { appNameFromFolder } from './names.js';
import { toFindings } from './issues.js';
import { MAX_MANIFEST_BYTES, MAX_REPORTED_DIAGNOSTICS, utf8Length } from './limits.js';
import { manifestSchema } from './schema.js';
import { locate, positionAt, positionOfError, readYaml } from './source.js';
import type { ManifestSource } from './source.js';
import type { ManifestDiagnostic, ParseOptions, ParseResult } from './spec.js';

// Guards against "billion laughs": a document whose aliases expand without bound.
const MAX_ALIAS_COUNT = 1000;

function yamlDiagnostics(source: ManifestSource, file: string): ManifestDiagnostic[] {
  const syntax = source.doc.errors.map((error): ManifestDiagnostic => {
    const { line, column } = positionOfError(source, error);
    return {
      severity: 'error',
      code: 'NS_MANIFEST_YAML_SYNTAX',
      message: `YAML: ${error.message.split('\n')[0] ?? error.message}`,
      hint: 'fix the YAML at this position (indentation, quotes, brackets, a missing ":")',
      file,
      line,
      column,
    };
  });
  const duplicates = duplicateKeyOffsets(source.doc).map((offset): ManifestDiagnostic => {
    const { line, column } = positionAt(source, offset);
    return {
      severity: 'error',
      code: 'NS_MANIFEST_DUPLICATE_KEY',
      message: 'this key appears twice in the same mapping',
      hint: 'keep one of the two keys',
      file,
      line,
      column,
    };
  });
  return syntax.concat(duplicates);
}

function located(source: ManifestSource, file: string, f: Finding): ManifestDiagnostic {
  const { line, column } = locate(source, f.path, f.at);
  return { severity: f.severity, code: f.code, message: f.message, hint: f.hint, file, line, column };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPosition(a: ManifestDiagnostic, b: ManifestDiagnostic): number {
  return a.line - b.line || a.column - b.column || compare(a.code, b.code) || compare(a.message, b.message);
}

/** Sorted, with repeats (same place, code and message) dropped: after sorting, repeats are neighbours. */
function sortedUnique(diagnostics: ManifestDiagnostic[]): ManifestDiagnostic[] {
  const sorted = diagnostics.sort(byPosition);
  return sorted.filter((d, i) => i === 0 || byPosition(sorted[i - 1] as ManifestDiagnostic, d) !== 0);
}

function result(diagnostics: ManifestDiagnostic[]): ParseResult & { ok: false } {
  const sorted = sortedUnique(diagnostics);
  const errors = sorted.filter((d) => d.severity === 'error');
  const warnings = sorted.filter((d) => d.severity === 'warning');
  // Past a hundred, more lines help nobody fix the file and cost every reader (CLI, API, events) to carry.
  return {
    ok: false,
    errors: errors.slice(0, MAX_REPORTED_DIAGNOSTICS),
    warnings: warnings.slice(0, MAX_REPORTED_DIAGNOSTICS),
    errorsOmitted: Math.max(0, errors.length - MAX_REPORTED_DIAGNOSTICS),
    warningsOmitted: Math.max(0, warnings.length - MAX_REPORTED_DIAGNOSTICS),
  };
}

const LIMIT_TEXT = `${MAX_MANIFEST_BYTES / 2 ** 20} MiB`;

function bytesText(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}

/**
 * The error for a manifest of `bytes` bytes, or null when it is within the limit. Readers of files call it
 * with the file's size before reading it; `parseManifest` calls it on the text before parsing.
 */
export function manifestSizeDiagnostic(bytes: number, file: string): ManifestDiagnostic | null {
  if (bytes <= MAX_MANIFEST_BYTES) return null;
  return {
    severity: 'error',
    code: 'NS_MANIFEST_TOO_LARGE',
    message: `the manifest is ${bytesText(bytes)}, over the limit of ${LIMIT_TEXT} (${bytesText(MAX_MANIFEST_BYTES)})`,
    hint: `a manifest describes processes, not data: keep it under ${LIMIT_TEXT} (move large values into files of the release)`,
    file,
    line: 1,
    column: 1,
  };
}

/**
 * Parses `.paas/app.yaml` text into a read-only, fully defaulted `AppSpec`, or reports every problem of the file
 * (YAML syntax; else schema and cross-field rules together), each located by line and column. Never throws for
 * any input text. PURE: no file access and no clock (`options.now` is the reference time for cron checks).
 */
export function parseManifest(text: string, options: ParseOptions): ParseResult {
  // Characters never outnumber UTF-8 bytes: only a text near the limit needs counting.
  const tooLarge =
    text.length > MAX_MANIFEST_BYTES / 3 ? manifestSizeDiagnostic(utf8Length(text), options.file) : null;
  if (tooLarge) return result([tooLarge]);
  const source = readYaml(text);
  const yamlProblems = yamlDiagnostics(source, options.file);
  if (yamlProblems.length > 0) return result(yamlProblems);

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

  // concat, not push(...): a file can hold hundreds of thousands of problems, more than a call's arguments.
  let findings: Finding[] = [];
  const parsed = manifestSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success)
    findings = findings.concat(parsed.error.issues.flatMap((issue) => toFindings(manifestSchema, issue)));
  const root = asMap(raw);
  // Made here, in the package, so every reader (CLI, daemon) names an unnamed app the same way.
  const appName =
    options.defaultName === undefined ? undefined : (appNameFromFolder(options.defaultName) ?? undefined);
  if (root) {
    const regions = new Set(asList(root.regions).flatMap((r) => (typeof r === 'string' ? [r] : [])));
    findings = findings.concat(
      crossFieldFindings({ root, now: options.now, defaultName: options.defaultName, appName, regions }),
    );
  }
  const diagnostics = findings.map((f) => located(source, options.file, f));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!parsed.success || errors.length > 0) return result(diagnostics);

  const name = asString(root?.name) ?? appName ?? '';
  const { warnings, warningsOmitted } = result(diagnostics);
  return { ok: true, spec: compile(parsed.data, source, name), warnings, warningsOmitted };
}
