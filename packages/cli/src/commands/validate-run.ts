import { readFileSync, statSync } from 'node:fs';
import { parseManifest, summarize } from '@nightshift/manifest';
import type { ManifestDiagnostic, ParseResult } from '@nightshift/manifest';
import { MANIFEST } from '../lib/context.js';
import {
  diagnosticLines,
  errorCount,
  failedWith,
  folderName,
  oversizeDiagnostic,
} from '../lib/manifest-file.js';
import { CliError, printJson } from '../output.js';

/** Reading is the shell's job: the manifest package is pure and takes text. */
function readManifest(file: string): string {
  try {
    if (!statSync(file).isFile()) {
      throw new CliError(
        'NS_MANIFEST_FILE_UNREADABLE',
        `${file} is not a file`,
        'pass the path of the YAML file itself',
      );
    }
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new CliError(
        'NS_MANIFEST_FILE_NOT_FOUND',
        `no manifest at ${file}`,
        `run the command in the app folder (the one with ${MANIFEST}), or pass the file: nightshift validate PATH`,
      );
    }
    if (typeof code === 'string' && code.startsWith('NS_')) throw err;
    throw new CliError(
      'NS_MANIFEST_FILE_UNREADABLE',
      `cannot read ${file}: ${(err as Error).message}`,
      'check its permissions',
    );
  }
}

function plain(d: ManifestDiagnostic): Omit<ManifestDiagnostic, 'severity'> {
  return { code: d.code, message: d.message, hint: d.hint, file: d.file, line: d.line, column: d.column };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function check(file: string): ParseResult {
  // By its size, before reading it: a missing file or a folder passes here and the read says what is wrong.
  const oversize = oversizeDiagnostic(file);
  if (oversize) return failedWith(oversize);
  return parseManifest(readManifest(file), { file, defaultName: folderName(file), now: new Date() });
}

/** Validates one manifest file and returns the exit status (0 valid, 1 invalid). */
export function validateFile(file: string, json: boolean): number {
  const result = check(file);
  if (json) {
    printJson({
      ok: result.ok,
      app: result.ok ? result.spec.name : null,
      errors: result.ok ? [] : result.errors.map(plain),
      warnings: result.warnings.map(plain),
      errorsOmitted: result.ok ? 0 : result.errorsOmitted,
      warningsOmitted: result.warningsOmitted,
    });
  } else {
    for (const line of diagnosticLines(result)) process.stderr.write(line + '\n');
    if (result.ok) process.stdout.write(summarize(result.spec) + '\n');
    else process.stderr.write(`${plural(errorCount(result), 'error')} in ${file}\n`);
  }
  return result.ok ? 0 : 1;
}
