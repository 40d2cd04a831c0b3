import { parseManifest, type AppSpec } from '@nightshift/manifest';
import { describe, expect, it } from 'vitest';
import { appEnvironments } from '../../src/apps/environment.js';

const envs = appEnvironments({
  base: { PATH: '/usr/bin:/bin', HOME: '/home/ns' },
  region: 'local',
  configVars: () => ({ LOG_LEVEL: 'debug' }),
  secrets: (_app, names) => Object.fromEntries(names.map((n) => [n, `value of ${n}`])),
  redis: () => null,
  buildSettings: { HTTPS_PROXY: 'http://proxy.internal:3128', NO_PROXY: 'localhost' },
});

describe("an app's environments", () => {
  it("give a build the base, the operator's build settings and TZ=UTC, the manifest's env winning", () => {
    const spec = specOf('env:\n  NO_PROXY: "*.internal"\n  NODE_ENV: production\n');
    expect(envs.build(spec)).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/ns',
      HTTPS_PROXY: 'http://proxy.internal:3128',
      NO_PROXY: '*.internal',
      TZ: 'UTC',
      NODE_ENV: 'production',
    });
  });

  it('keep the build settings, config vars and secrets apart: a process gets no proxy, a build no secret', () => {
    const spec = specOf('secrets: [API_KEY]\n');
    const release = { version: 3, path: '/releases/v3', spec };
    const predeploy = envs.predeploy(release);
    expect(predeploy).toMatchObject({
      LOG_LEVEL: 'debug',
      API_KEY: 'value of API_KEY',
      NIGHTSHIFT_RELEASE: 'v3',
    });
    expect(predeploy.HTTPS_PROXY).toBeUndefined();
    expect(predeploy.PORT).toBeUndefined();
    const build = envs.build(spec);
    expect(build.API_KEY).toBeUndefined();
    expect(build.LOG_LEVEL).toBeUndefined();
  });
});

function specOf(extra: string): AppSpec {
  const result = parseManifest(`name: shop\n${extra}workers:\n  - name: w\n    start: node w.js\n`, {
    file: 'app.yaml',
    now: new Date(),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}
