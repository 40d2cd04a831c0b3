import { describe, expect, it } from 'vitest';
import { parseManifest, type AppSpec } from '@nightshift/manifest';
import { planBuild, type FolderFacts } from '../../src/releases/build-plan.js';

const spec = (extra = ''): AppSpec => {
  const r = parseManifest(`name: shop\n${extra}workers:\n  - name: w\n    start: node w.js\n`, {
    file: 'app.yaml',
    defaultName: 'x',
    now: new Date(),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.spec;
};
const none: FolderFacts = {
  hasPackageJson: false,
  hasLockfile: false,
  hasDependencies: false,
  buildScript: false,
  hasRequirements: false,
  hasPyproject: false,
};
const labels = (s: AppSpec, facts: Partial<FolderFacts>) =>
  planBuild(s, { ...none, ...facts }).map((step) => step.label);

describe('planBuild', () => {
  it('runs the manifest build as written, whatever the folder holds', () => {
    const steps = planBuild(spec('build:\n  install: npm ci --omit=dev\n  command: make all\n'), {
      ...none,
      hasPackageJson: true,
      hasLockfile: true,
    });
    expect(steps.map((s) => s.label)).toEqual(['npm ci --omit=dev', 'make all']);
  });

  it('detects Node: npm ci with a lockfile, npm install without one, then npm run build when the script exists', () => {
    expect(
      labels(spec(), { hasPackageJson: true, hasLockfile: true, hasDependencies: true, buildScript: true }),
    ).toEqual(['npm ci --no-audit --no-fund', 'npm run build']);
    expect(labels(spec(), { hasPackageJson: true, hasDependencies: true })).toEqual([
      'npm install --no-audit --no-fund',
    ]);
    // Nothing to install and no build script: nothing to run (npm would only write an empty lockfile).
    expect(labels(spec(), { hasPackageJson: true })).toEqual([]);
    expect(labels(spec(), { hasPackageJson: true, buildScript: true })).toEqual(['npm run build']);
  });

  it('detects Python (a venv in the release) and leaves a plain folder alone', () => {
    expect(labels(spec(), { hasRequirements: true })).toEqual([
      'python3 -m venv .venv',
      '.venv/bin/pip install --disable-pip-version-check -r requirements.txt',
    ]);
    expect(labels(spec(), { hasPyproject: true })).toEqual([
      'python3 -m venv .venv',
      '.venv/bin/pip install --disable-pip-version-check .',
    ]);
    expect(labels(spec(), {})).toEqual([]);
    // Shell steps run through /bin/sh -c, as the manifest's own shell commands do.
    expect(planBuild(spec(), { ...none, hasRequirements: true })[0]!.argv).toEqual([
      '/bin/sh',
      '-c',
      'python3 -m venv .venv',
    ]);
  });
});
