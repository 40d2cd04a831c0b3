import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppSpec } from '@nightshift/manifest';
import type { ProcessDriver } from '../drivers/index.js';
import type { OutputSink } from '../runtime/output.js';
import { type FolderFacts, planBuild } from './build-plan.js';

export interface BuildResult {
  readonly ok: boolean;
  readonly failedStep: string | null;
  readonly exitCode: number | null;
}

export function folderFacts(dir: string): FolderFacts {
  const pkgPath = join(dir, 'package.json');
  let pkg: { dependencies?: object; devDependencies?: object; scripts?: Record<string, string> } = {};
  const hasPackageJson = existsSync(pkgPath);
  if (hasPackageJson) {
    try {
      pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as typeof pkg;
    } catch {
      pkg = {};
    }
  }
  return {
    hasPackageJson,
    hasLockfile: existsSync(join(dir, 'package-lock.json')) || existsSync(join(dir, 'npm-shrinkwrap.json')),
    hasDependencies:
      Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.devDependencies ?? {}).length > 0,
    buildScript: typeof pkg.scripts?.build === 'string',
    hasRequirements: existsSync(join(dir, 'requirements.txt')),
    hasPyproject: existsSync(join(dir, 'pyproject.toml')),
  };
}

/**
 * Runs the build steps in the release folder, one process group each, with their output in the release's
 * build log (through the log pipeline, source `build:vN`). Stops at the first failing step.
 */
export async function runBuild(opts: {
  app: string;
  version: number;
  dir: string;
  spec: AppSpec;
  env: Record<string, string>;
  logFile: string;
  driver: ProcessDriver;
  output: OutputSink;
}): Promise<BuildResult> {
  const steps = planBuild(opts.spec, folderFacts(opts.dir));
  const target = { app: opts.app, process: 'build', source: `build:v${opts.version}`, runLog: opts.logFile };
  for (const step of steps) {
    let handle;
    try {
      handle = await opts.driver.spawn({ argv: step.argv, cwd: opts.dir, env: opts.env });
    } catch (err) {
      return { ok: false, failedStep: `${step.label}: ${(err as Error).message}`, exitCode: null };
    }
    const captured = Promise.all([
      opts.output.capture(target, 'out', handle.stdout),
      opts.output.capture(target, 'err', handle.stderr),
    ]);
    const status = await handle.exited;
    await captured;
    if (status.code !== 0) return { ok: false, failedStep: step.label, exitCode: status.code };
  }
  return { ok: true, failedStep: null, exitCode: 0 };
}
