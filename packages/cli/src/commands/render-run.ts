import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseManifest, type AppSpec } from '@nightshift/manifest';
import {
  HEADER_MARK,
  documentYaml,
  fileName,
  header,
  locateField,
  newSink,
  parseSecretsFile,
  renderKubernetes,
  renderRegions,
  toYamlStream,
  type RenderDiagnostic,
  type RenderOptions,
  type RenderedObject,
} from '@nightshift/render-kubernetes';
import {
  diagnosticLines,
  errorCount,
  failedWith,
  folderName,
  oversizeDiagnostic,
} from '../lib/manifest-file.js';
import { CliError } from '../output.js';

/**
 * `nightshift render kubernetes`: the manifest as Kubernetes objects for `kubectl apply` or GitOps. The render
 * itself is pure (`@nightshift/render-kubernetes`); this file reads the files and writes the output.
 */

export interface RenderFlags {
  file: string;
  region?: string;
  image?: string;
  release?: string;
  namespace?: string;
  secrets: 'ref' | 'inline';
  secretsFile?: string;
  secretName?: string;
  prometheus: 'podmonitor' | 'annotations' | 'none';
  monitoringNamespace?: string;
  redisUrlSecret?: string;
  rabbitmqUrlSecret?: string;
  out?: string;
}

function usage(code: string, message: string, hint: string): CliError {
  return new CliError(code, message, hint, 2);
}

function readText(path: string, codes: { missing: string; unreadable: string }, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CliError(
      missing ? codes.missing : codes.unreadable,
      `${what} ${path}: ${missing ? 'no such file' : (err as Error).message}`,
      missing
        ? "run the command in the app's folder, or pass the file's path"
        : 'check it is a readable file, not a folder',
    );
  }
}

function loadSpec(file: string): { spec: AppSpec; text: string } {
  // By its size first: an oversized file is refused without being read.
  const oversize = oversizeDiagnostic(file);
  const text = oversize
    ? ''
    : readText(
        file,
        { missing: 'NS_MANIFEST_FILE_NOT_FOUND', unreadable: 'NS_MANIFEST_FILE_UNREADABLE' },
        'cannot read the manifest',
      );
  const parsed = oversize
    ? failedWith(oversize)
    : parseManifest(text, { file, now: new Date(), defaultName: folderName(file) });
  for (const line of diagnosticLines(parsed)) process.stderr.write(`${line}\n`);
  if (!parsed.ok) {
    const first = parsed.errors[0];
    throw new CliError(
      first?.code ?? 'NS_INTERNAL',
      `${file} has ${errorCount(parsed)} error(s), shown above`,
      'fix them and render again',
    );
  }
  return { spec: parsed.spec, text };
}

function secretValues(flags: RenderFlags): Record<string, string> | undefined {
  if (flags.secrets !== 'inline') {
    if (flags.secretsFile)
      throw usage(
        'NS_USAGE',
        '--secrets-file is only read with --secrets inline',
        'add --secrets inline, or drop --secrets-file',
      );
    return undefined;
  }
  if (!flags.secretsFile) {
    throw usage(
      'NS_RENDER_K8S_SECRETS_STORE_UNAVAILABLE',
      "--secrets inline needs the secret values, and the render cannot read the daemon's secret store yet",
      'pass them with --secrets-file FILE (NAME=value lines), or render with --secrets ref (the default)',
    );
  }
  const sink = newSink();
  const codes = {
    missing: 'NS_RENDER_K8S_SECRETS_FILE_UNREADABLE',
    unreadable: 'NS_RENDER_K8S_SECRETS_FILE_UNREADABLE',
  };
  const text = readText(flags.secretsFile, codes, 'cannot read the secrets file');
  const values = parseSecretsFile(text, flags.secretsFile, sink);
  if (sink.errors.length > 0) reportAndFail(sink.errors, flags.secretsFile, null);
  return values;
}

function describeField(d: RenderDiagnostic, file: string, text: string | null): string {
  if (d.field.startsWith('-') || text === null) return d.field;
  const at = locateField(text, d.field);
  return at ? `${file}:${at.line}:${at.column} ${d.field}` : `${file} ${d.field}`;
}

function report(d: RenderDiagnostic, file: string, text: string | null): void {
  process.stderr.write(
    `${d.severity} ${d.code}: ${describeField(d, file, text)}: ${d.message}\n  hint: ${d.hint}\n`,
  );
}

function reportAndFail(errors: readonly RenderDiagnostic[], file: string, text: string | null): never {
  for (const e of errors) report(e, file, text);
  const first = errors[0];
  // Every refusal is printed above with its hint; the thrown error only closes the list (and sets exit 1).
  const count = errors.length === 1 ? 'the problem above' : `the ${errors.length} problems above`;
  throw new CliError(first?.code ?? 'NS_INTERNAL', `nothing was rendered: fix ${count}`);
}

/** Removes the files an earlier render wrote (recognised by their first line), so deleted objects do not linger. */
function clearRendered(dir: string): void {
  for (const entry of readdirSync(dir)) {
    if (!entry.endsWith('.yaml')) continue;
    const path = join(dir, entry);
    if (readFileSync(path, 'utf8').startsWith(HEADER_MARK)) rmSync(path);
  }
}

function writeRegion(dir: string, head: string, objects: readonly RenderedObject[]): void {
  mkdirSync(dir, { recursive: true });
  clearRendered(dir);
  objects.forEach((item, i) => writeFileSync(join(dir, fileName(item, i)), head + documentYaml(item)));
  process.stderr.write(`wrote ${objects.length} objects to ${dir}\n`);
}

export function run(flags: RenderFlags): void {
  const { spec, text } = loadSpec(flags.file);
  const regions = flags.region ? [flags.region] : renderRegions(spec);
  if (!flags.out && regions.length > 1) {
    throw usage(
      'NS_RENDER_K8S_REGION_REQUIRED',
      `the manifest lists ${regions.length} regions (${regions.join(', ')}) and stdout holds one render`,
      'pick one with --region, or write every region with -o DIR (one folder per region)',
    );
  }
  const base: RenderOptions = {
    image: flags.image,
    release: flags.release,
    namespace: flags.namespace,
    secrets: flags.secrets,
    secretName: flags.secretName,
    secretValues: secretValues(flags),
    prometheus: flags.prometheus,
    monitoringNamespace: flags.monitoringNamespace,
    redisSecret: flags.redisUrlSecret,
    rabbitmqSecret: flags.rabbitmqUrlSecret,
  };
  const renders = regions.map((region) => ({ region, result: renderKubernetes(spec, { ...base, region }) }));
  const seen = new Set<string>();
  for (const { result } of renders) {
    for (const w of result.warnings) {
      const key = `${w.code} ${w.field}`;
      if (!seen.has(key)) report(w, flags.file, text);
      seen.add(key);
    }
  }
  for (const { result } of renders) if (!result.ok) reportAndFail(result.errors, flags.file, text);
  for (const { region, result } of renders) {
    if (!result.ok) continue;
    const head = header(spec.name, region, result.release);
    if (flags.out) writeRegion(join(flags.out, region), head, result.objects);
    else process.stdout.write(toYamlStream(result.objects, head));
  }
}
