import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { formatDiagnostic, parseManifest, summarize } from '@nightshift/manifest';
import type { ManifestDiagnostic } from '@nightshift/manifest';
import { MANIFEST } from '../lib/context.js';
import { CliError, printJson } from '../output.js';

/** The name an app gets when its manifest has none: the folder that holds `.paas/` (or the file). */
function folderName(file: string): string {
  const dir = dirname(resolve(file));
  return basename(dir) === '.paas' ? basename(dirname(dir)) : basename(dir);
}

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

/** Validates one manifest file and returns the exit status (0 valid, 1 invalid). */
export function validateFile(file: string, json: boolean): number {
  const result = parseManifest(readManifest(file), { file, defaultName: folderName(file), now: new Date() });
  const errors = result.ok ? [] : result.errors;
  if (json) {
    printJson({
      ok: result.ok,
      app: result.ok ? result.spec.name : null,
      errors: errors.map(plain),
      warnings: result.warnings.map(plain),
    });
  } else {
    for (const d of [...errors, ...result.warnings]) process.stderr.write(formatDiagnostic(d) + '\n');
    if (result.ok) process.stdout.write(summarize(result.spec) + '\n');
    else process.stderr.write(`${plural(errors.length, 'error')} in ${file}\n`);
  }
  return result.ok ? 0 : 1;
}

