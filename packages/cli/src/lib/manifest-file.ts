import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { formatDiagnostic, formatOmitted, manifestSizeDiagnostic } from '@nightshift/manifest';
import type { ManifestDiagnostic, ParseResult } from '@nightshift/manifest';

/**
 * What `validate` and `render` share about the manifest file. Imported only by their lazily loaded run
 * modules: the manifest package (zod, yaml) would slow every other command's start.
 */

/** The name an app's folder gives it when its manifest has none: the folder holding `.paas/` (or the file). */
export function folderName(file: string): string {
  const dir = dirname(resolve(file));
  return basename(dir) === '.paas' ? basename(dirname(dir)) : basename(dir);
}

/**
 * The located error for a file over the size limit, from its size alone: a 1 GB file is refused without being
 * read. Null when it is within the limit or cannot be looked at (reading it then says why).
 */
export function oversizeDiagnostic(file: string): ManifestDiagnostic | null {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return null;
  }
  return manifestSizeDiagnostic(size, file);
}

/** A result with only that error, in the shape `parseManifest` returns. */
export function failedWith(error: ManifestDiagnostic): ParseResult {
  return { ok: false, errors: [error], warnings: [], errorsOmitted: 0, warningsOmitted: 0 };
}

/** Every reported diagnostic as printed text (errors first), each capped list followed by its "… and N more". */
export function diagnosticLines(result: ParseResult): string[] {
  const lines: string[] = [];
  if (!result.ok) {
    lines.push(...result.errors.map(formatDiagnostic));
    if (result.errorsOmitted > 0) lines.push(formatOmitted(result.errorsOmitted, 'error'));
  }
  lines.push(...result.warnings.map(formatDiagnostic));
  if (result.warningsOmitted > 0) lines.push(formatOmitted(result.warningsOmitted, 'warning'));
  return lines;
}

/** All errors of a failed result, reported or not. */
export function errorCount(result: ParseResult & { ok: false }): number {
  return result.errors.length + result.errorsOmitted;
}
