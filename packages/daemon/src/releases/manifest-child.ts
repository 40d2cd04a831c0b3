/**
 * Parses one manifest in a short-lived child process and prints the result as JSON. The manifest package
 * (zod, yaml) costs the daemon ~20 MB of memory that it would keep for good after the first deploy; a
 * child gives it back the moment the parse is done.
 * argv: FILE REL DEFAULT_NAME NOW_ISO
 */
import { readFileSync } from 'node:fs';
import { parseManifest, formatDiagnostic } from '@nightshift/manifest';

const [file, rel, defaultName, nowIso] = process.argv.slice(2);
let text: string;
try {
  text = readFileSync(file!, 'utf8');
} catch (err) {
  process.stdout.write(JSON.stringify({ readError: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
  process.exit(0);
}
const result = parseManifest(text, { file: rel!, defaultName: defaultName!, now: new Date(nowIso!) });
process.stdout.write(
  JSON.stringify(result.ok ? result : { ...result, formatted: result.errors.map(formatDiagnostic) }),
);
