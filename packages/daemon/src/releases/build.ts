import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AppSpec } from '@nightshift/manifest';
import type { ProcessDriver } from '../drivers/index.js';
import type { OutputSink } from '../process/output.js';
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

export interface StepOptions {
  readonly app: string;
  readonly version: number;
  readonly dir: string;
  readonly logFile: string;
  readonly driver: ProcessDriver;
  readonly output: OutputSink;
  readonly env: Record<string, string>;
}

/** Runs one command as its own process group, its output into the release's log under `source`. */
export async function runStep(
  opts: StepOptions & { readonly source: string; readonly argv: readonly string[]; readonly label?: string },
): Promise<{ ok: boolean; exitCode: number | null; error?: string }> {
  const target = { app: opts.app, process: 'build', source: opts.source, runLog: opts.logFile };
  // A header per step, Heroku-style, so the log says what produced the lines that follow.
  await opts.output.capture(target, 'out', Readable.from([`-----> ${opts.label ?? opts.argv.join(' ')}\n`]));
  let handle;
  try {
    handle = await opts.driver.spawn({ argv: opts.argv, cwd: opts.dir, env: opts.env });
  } catch (err) {
    return { ok: false, exitCode: null, error: (err as Error).message };
  }
  const captured = Promise.all([
    opts.output.capture(target, 'out', handle.stdout),
    opts.output.capture(target, 'err', handle.stderr),
  ]);
  const status = await handle.exited;
  // Grandchildren of a step must not outlive it.
  opts.driver.signalGroup(handle.pid, 'SIGKILL');
  await captured;
  return { ok: status.code === 0, exitCode: status.code };
}

/**
 * Runs the build steps in the release folder, one process group each, with their output in the release's
 * build log (through the log pipeline, source `build:vN`). Stops at the first failing step.
 */
export async function runBuild(opts: StepOptions & { readonly spec: AppSpec }): Promise<BuildResult> {
  for (const step of planBuild(opts.spec, folderFacts(opts.dir))) {
    const result = await runStep({
      ...opts,
      source: `build:v${opts.version}`,
      argv: step.argv,
      label: step.label,
    });
    if (!result.ok) {
      return {
        ok: false,
        failedStep: result.error ? `${step.label}: ${result.error}` : step.label,
        exitCode: result.exitCode,
      };
    }
  }
  return { ok: true, failedStep: null, exitCode: 0 };
}
