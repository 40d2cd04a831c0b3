import type { AppSpec, CommandSpec } from '@nightshift/manifest';

/** Facts about a release folder that decide how it is built. */
export interface FolderFacts {
  readonly hasPackageJson: boolean;
  readonly hasLockfile: boolean;
  readonly hasDependencies: boolean;
  readonly buildScript: boolean;
  readonly hasRequirements: boolean;
  readonly hasPyproject: boolean;
}

export interface BuildStep {
  readonly label: string;
  readonly argv: readonly string[];
}

const sh = (source: string): BuildStep => ({ label: source, argv: ['/bin/sh', '-c', source] });
const fromSpec = (c: CommandSpec): BuildStep => ({ label: c.source, argv: c.argv });

/**
 * The build steps of a release: the manifest's `build` when given, else detected from the folder —
 * Node (`npm ci` with a lockfile, else `npm install` when there are dependencies, then `npm run build` when
 * that script exists), Python (a venv in the release with `pip install`), or nothing for a plain folder.
 */
export function planBuild(spec: AppSpec, facts: FolderFacts): BuildStep[] {
  if (spec.build) {
    return [spec.build.install, spec.build.command].filter((c): c is CommandSpec => c !== null).map(fromSpec);
  }
  const steps: BuildStep[] = [];
  if (facts.hasPackageJson) {
    if (facts.hasLockfile) steps.push(sh('npm ci --no-audit --no-fund'));
    else if (facts.hasDependencies) steps.push(sh('npm install --no-audit --no-fund'));
    if (facts.buildScript) steps.push(sh('npm run build'));
  } else if (facts.hasRequirements || facts.hasPyproject) {
    steps.push(sh('python3 -m venv .venv'));
    if (facts.hasRequirements)
      steps.push(sh('.venv/bin/pip install --disable-pip-version-check -r requirements.txt'));
    else steps.push(sh('.venv/bin/pip install --disable-pip-version-check .'));
  }
  return steps;
}
