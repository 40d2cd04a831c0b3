import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { folderFacts } from './build.js';

/**
 * Variables a detected runtime adds to every process of a release, under the manifest's own `env`:
 * Node apps run with `NODE_ENV=production`; a Python release's venv comes first on PATH.
 */
export function runtimeEnvOf(releaseDir: string, basePath: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (folderFacts(releaseDir).hasPackageJson) env.NODE_ENV = 'production';
  const venv = join(releaseDir, '.venv');
  if (existsSync(join(venv, 'bin'))) {
    env.VIRTUAL_ENV = venv;
    env.PATH = `${join(venv, 'bin')}:${basePath}`;
  }
  return env;
}
