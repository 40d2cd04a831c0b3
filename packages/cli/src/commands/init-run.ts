import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseManifest, summarize } from '@nightshift/manifest';
import { appNameFromFolder } from '@nightshift/manifest/names';
import { ErrorCodes } from '@nightshift/protocol';
import { loadEcosystem } from '../init/load-ecosystem.js';
import { fromPackageJson } from '../init/package-json.js';
import { fromEcosystem } from '../init/pm2.js';
import { fromProcfile } from '../init/procfile.js';
import { renderStarter } from '../init/render.js';
import type { Starter } from '../init/starter.js';
import { MANIFEST } from '../lib/context.js';
import { diagnosticLines } from '../lib/manifest-file.js';
import { CliError } from '../output.js';

export type InitSource = 'pm2' | 'procfile' | 'package';

/** PM2's own names for the file, in the order it looks for them. */
const ECOSYSTEM_FILES = ['ecosystem.config.js', 'ecosystem.config.cjs', 'ecosystem.config.mjs'];

/**
 * The starter of a folder. Without `--from`, the most specific source wins: a PM2 file describes every process
 * with its counts and env, a Procfile names the process types, package.json scripts only hint at them.
 */
async function starterOf(dir: string, from: InitSource | undefined): Promise<Starter | null> {
  const app = appNameFromFolder(basename(dir)) ?? 'app';
  if (from === undefined || from === 'pm2') {
    const file = ECOSYSTEM_FILES.find((f) => existsSync(join(dir, f)));
    if (file) return fromEcosystem(await loadEcosystem(join(dir, file)), app, file);
  }
  if ((from === undefined || from === 'procfile') && existsSync(join(dir, 'Procfile'))) {
    const starter = fromProcfile(readFileSync(join(dir, 'Procfile'), 'utf8'), app);
    if (starter.web || starter.workers.length > 0) return starter;
  }
  if ((from === undefined || from === 'package') && existsSync(join(dir, 'package.json'))) {
    let pkg: unknown;
    try {
      pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      pkg = null; // not JSON: nothing to read scripts from
    }
    return fromPackageJson(pkg, app);
  }
  return null;
}

/** `nightshift init`: writes the starter manifest (validated first) and returns the exit status. */
export async function runInit(dirArg: string, opts: { force: boolean; from?: InitSource }): Promise<number> {
  const dir = resolve(dirArg);
  const target = join(dir, MANIFEST);
  if (existsSync(target) && !opts.force) {
    throw new CliError(
      ErrorCodes.initManifestExists,
      `${target} exists already; nothing was written`,
      'keep it, or pass --force to replace it',
    );
  }
  const starter = await starterOf(dir, opts.from);
  if (!starter || (!starter.web && starter.workers.length === 0)) {
    const where = opts.from
      ? `no ${opts.from} source with a process`
      : 'no Procfile, package.json start/worker script or ecosystem.config.js';
    throw new CliError(
      ErrorCodes.initNoSource,
      `${where} in ${dir}`,
      'add one, or write .paas/app.yaml by hand (docs/getting-started.md)',
    );
  }
  const text = renderStarter(starter);
  // What is written must be a manifest the daemon takes: checked by the same parser as `validate` and `deploy`.
  const result = parseManifest(text, { file: target, defaultName: basename(dir), now: new Date() });
  for (const line of diagnosticLines(result)) process.stderr.write(line + '\n');
  if (!result.ok) {
    process.stderr.write(`the starter from ${starter.source} does not validate: nothing was written\n`);
    return 1;
  }
  mkdirSync(join(dir, '.paas'), { recursive: true });
  writeFileSync(target, text);
  process.stderr.write(`wrote ${target} from ${starter.source}\n`);
  process.stdout.write(summarize(result.spec) + '\n');
  return 0;
}
