import { execFile } from 'node:child_process';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppSpec, ManifestDiagnostic } from '@nightshift/manifest';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';

export const MANIFEST_PATH = '.paas/app.yaml';
const CHILD = fileURLToPath(new URL('./manifest-child.js', import.meta.url));

type ChildResult =
  | { readError: string }
  | { ok: true; spec: AppSpec }
  | { ok: false; errors: ManifestDiagnostic[]; formatted: string[] };

/** Reads and compiles an app folder's manifest, or throws one error listing every located problem. */
export async function loadManifest(dir: string, rel: string, now: Date): Promise<AppSpec> {
  const file = join(dir, rel);
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [CHILD, file, rel, basename(dir), now.toISOString()], { maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      err ? reject(new NightshiftError(ErrorCodes.internal, `the manifest reader failed: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );
  const result = JSON.parse(out) as ChildResult;
  if ('readError' in result) {
    throw new NightshiftError(
      ErrorCodes.manifestInvalid,
      `cannot read the manifest ${file}: ${result.readError}`,
      `create ${rel} in the app's folder (see docs/manifest.md), or run the command in the app's folder`,
    );
  }
  if (!result.ok) {
    throw new NightshiftError(
      ErrorCodes.manifestInvalid,
      `the manifest has ${result.errors.length} error(s):\n${result.formatted.join('\n')}`,
      `fix ${rel}; \`nightshift validate\` checks it without deploying`,
      { details: result.errors },
    );
  }
  return result.spec;
}
