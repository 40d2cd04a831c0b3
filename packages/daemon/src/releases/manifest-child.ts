/**
 * Parses one manifest in a short-lived child process and prints the result as JSON. The manifest package
 * (zod, yaml) costs the daemon memory that it would keep for good after the first deploy; a
 * child gives it back the moment the parse is done.
 * stdin: the manifest's text. argv: REL DEFAULT_NAME NOW_ISO
 */
import { closeSync, readFileSync, writeSync } from 'node:fs';
import { parseManifest, formatDiagnostic, formatOmitted } from '@nightshift/manifest';

const [rel, defaultName, nowIso] = process.argv.slice(2);
const text = readFileSync(0, 'utf8');
const result = parseManifest(text, { file: rel!, defaultName: defaultName!, now: new Date(nowIso!) });
// One write, then stdout closes: the daemon takes the answer at once, without waiting for this process to exit
// (process.stdout would also build a stream over the pipe, loading node:net).
writeSync(
  1,
  JSON.stringify(
    result.ok
      ? result
      : {
          ...result,
          formatted: [
            ...result.errors.map(formatDiagnostic),
            ...(result.errorsOmitted > 0 ? [formatOmitted(result.errorsOmitted, 'error')] : []),
          ],
        },
  ),
);
closeSync(1);
