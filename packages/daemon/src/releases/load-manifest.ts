import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type AppSpec, formatDiagnostic, parseManifest } from '@nightshift/manifest';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';

export const MANIFEST_PATH = '.paas/app.yaml';

/** Reads and compiles an app folder's manifest, or throws one error listing every located problem. */
export async function loadManifest(dir: string, rel: string, now: Date): Promise<AppSpec> {
  const file = join(dir, rel);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new NightshiftError(
      ErrorCodes.manifestInvalid,
      `cannot read the manifest ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      `create ${rel} in the app's folder (see docs/manifest.md), or run the command in the app's folder`,
    );
  }
  const result = parseManifest(text, { file: rel, defaultName: basename(dir), now });
  if (!result.ok) {
    throw new NightshiftError(
      ErrorCodes.manifestInvalid,
      `the manifest has ${result.errors.length} error(s):\n${result.errors.map(formatDiagnostic).join('\n')}`,
      `fix ${rel}; \`nightshift validate\` checks it without deploying`,
      { details: result.errors },
    );
  }
  return result.spec;
}
