import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { AppSpec, ManifestDiagnostic } from '@nightshift/manifest';
import { MAX_MANIFEST_BYTES } from '@nightshift/manifest/names';
import { ErrorCodes, isCodedError, NightshiftError } from '@nightshift/protocol';

export const MANIFEST_PATH = '.paas/app.yaml';
const CHILD = childScript();
/** Compiled specs kept by content: a redeploy whose manifest did not change skips the reader (~140 ms). */
const CACHE_ENTRIES = 32;
const compiled = new Map<string, string>();
let readerStarts = 0;

/** How many reader processes this daemon has started (tests check the cache with it). */
export const manifestReaderStarts = (): number => readerStarts;

type ChildResult =
  | { ok: true; spec: AppSpec }
  | { ok: false; errors: ManifestDiagnostic[]; errorsOmitted: number; formatted: string[] };

export interface LoadOptions {
  /** The app name when the manifest has none: the deployed folder's name. */
  readonly defaultName: string;
  /** Where the reader keeps V8's compile cache (NODE_COMPILE_CACHE), so each start compiles less. */
  readonly compileCacheDir?: string;
}

/** Reads and compiles an app folder's manifest, or throws one error listing every located problem. */
export async function loadManifest(dir: string, rel: string, now: Date, opts: LoadOptions): Promise<AppSpec> {
  const file = join(dir, rel);
  let text: string;
  try {
    // Refused before it is read: a 10 MB manifest once cost the daemon a gigabyte on its way to the reader.
    const { size } = await stat(file);
    if (size > MAX_MANIFEST_BYTES) {
      throw new NightshiftError(
        ErrorCodes.manifestInvalid,
        `${rel}:1:1 error NS_MANIFEST_TOO_LARGE the manifest is ${size} bytes, over the limit of ${MAX_MANIFEST_BYTES} bytes (1 MiB)`,
        'a manifest describes processes; keep data (lists, certificates, large values) in files of the app',
      );
    }
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (isCodedError(err)) throw err;
    throw new NightshiftError(
      ErrorCodes.manifestInvalid,
      `cannot read the manifest ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      `create ${rel} in the app's folder (see docs/manifest.md), or run the command in the app's folder`,
    );
  }
  // The day is part of the key: the reader checks that each cron schedule fires within a horizon from now.
  // The text itself is the key (manifests are small): no hash, so no node:crypto in the daemon for it.
  const key = `${rel}\0${opts.defaultName}\0${now.toISOString().slice(0, 10)}\0${text}`;
  const hit = compiled.get(key);
  if (hit !== undefined) {
    compiled.delete(key);
    compiled.set(key, hit);
    return JSON.parse(hit) as AppSpec;
  }
  const result = await readInChild(text, rel, now, opts);
  if (!result.ok) {
    throw new NightshiftError(
      ErrorCodes.manifestInvalid,
      `the manifest has ${result.errors.length + (result.errorsOmitted ?? 0)} error(s):\n${result.formatted.join('\n')}`,
      `fix ${rel}; \`nightshift validate\` checks it without deploying`,
      { details: result.errors },
    );
  }
  compiled.set(key, JSON.stringify(result.spec));
  if (compiled.size > CACHE_ENTRIES) compiled.delete(compiled.keys().next().value!);
  return result.spec;
}

/**
 * Runs the reader on `text` and resolves with its answer. The reader writes the answer in one piece and
 * closes its stdout: an answer that parses is used at once, without waiting for the process to exit (~10 ms of
 * teardown, and the compile cache it writes then). Anything else waits for the exit and becomes an error.
 */
function readInChild(text: string, rel: string, now: Date, opts: LoadOptions): Promise<ChildResult> {
  readerStarts++;
  const env = opts.compileCacheDir
    ? { ...process.env, NODE_COMPILE_CACHE: opts.compileCacheDir }
    : process.env;
  return new Promise<ChildResult>((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, rel, opts.defaultName, now.toISOString()], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      reject(new NightshiftError(ErrorCodes.internal, `the manifest reader failed: ${why}`));
    };
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdout.on('end', () => {
      const answer = settled ? null : asAnswer(Buffer.concat(out).toString('utf8'));
      if (answer === null) return;
      settled = true;
      resolve(answer);
    });
    child.on('error', (e) => fail(e.message));
    child.on('close', (code, signal) =>
      fail(Buffer.concat(err).toString('utf8') || `it exited with ${signal ?? `code ${code}`}`),
    );
    child.stdin.on('error', () => undefined); // a reader that died early: its exit says why
    child.stdin.end(text);
  });
}

function asAnswer(text: string): ChildResult | null {
  try {
    const answer = JSON.parse(text) as ChildResult;
    return typeof answer.ok === 'boolean' ? answer : null;
  } catch {
    return null;
  }
}

/**
 * The reader's script, resolved through the package's own name so the path holds from dist/ and from the
 * bundle alike: the bundled one (`npm run build`), which starts twice as fast, else the compiled module.
 */
function childScript(): string {
  const require = createRequire(import.meta.url);
  try {
    const bundled = require.resolve('@nightshift/daemon/manifest-child-bundle');
    if (existsSync(bundled)) return bundled;
  } catch {
    // only `tsc -b` ran: no bundle
  }
  return require.resolve('@nightshift/daemon/manifest-child');
}
