import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, waitFor } from './helpers.js';

function readEnvFile(file: string): Record<string, string> | null {
  try {
    const env: Record<string, string> = {};
    for (const entry of readFileSync(file, 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return Object.keys(env).length ? env : null;
  } catch {
    return null;
  }
}

/** The operator's network settings, as a daemon behind a proxy with a private CA would have them. */
const NETWORK = {
  HTTP_PROXY: 'http://proxy.internal:3128',
  HTTPS_PROXY: 'http://proxy.internal:3128',
  NO_PROXY: 'localhost,.internal',
  http_proxy: 'http://proxy.internal:3128',
  https_proxy: 'http://proxy.internal:3128',
  no_proxy: 'localhost,.internal',
  NODE_EXTRA_CA_CERTS: '/etc/corp/ca.pem',
  SSL_CERT_FILE: '/etc/corp/ca.pem',
  SSL_CERT_DIR: '/etc/corp/certs',
  REQUESTS_CA_BUNDLE: '/etc/corp/ca.pem',
  PIP_INDEX_URL: 'https://pypi.internal/simple',
  PIP_EXTRA_INDEX_URL: 'https://pypi-extra.internal/simple',
  PIP_TRUSTED_HOST: 'pypi.internal',
  npm_config_registry: 'https://npm.internal/',
  NPM_CONFIG_STRICT_SSL: 'true',
};

describe('the environment of a release build', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it("gets the daemon's proxy, CA and index settings (and NIGHTSHIFT_BUILD_ENV's), which workers do not", async () => {
    sb = new Sandbox('benv');
    sb.writeApp(
      `build: { command: "sh -c 'env -0 > build.env'" }
env: { PIP_INDEX_URL: https://manifest.example/simple }
workers:
  - name: dump
    start: sh -c 'env -0 > worker.env; exec sleep 1000'
`,
    );
    await sb.cliOk(['up'], {
      env: {
        ...NETWORK,
        GOPROXY: 'https://go.internal',
        CORP_TOKEN_URL: 'https://auth.internal',
        NIGHTSHIFT_BUILD_ENV: 'GOPROXY, CORP_*',
        DAEMON_ONLY: 'x',
      },
    });
    const release = join(sb.home, 'apps', sb.app, 'releases', 'v1');
    const build = readEnvFile(join(release, 'build.env'));
    // The manifest's env wins over the daemon's value of the same name.
    expect(build).toMatchObject({
      ...NETWORK,
      PIP_INDEX_URL: 'https://manifest.example/simple',
      GOPROXY: 'https://go.internal',
      CORP_TOKEN_URL: 'https://auth.internal',
    });
    expect(build?.DAEMON_ONLY).toBeUndefined();
    expect(build?.NIGHTSHIFT_BUILD_ENV).toBeUndefined();
    expect(build?.NIGHTSHIFT_HOME).toBeUndefined();

    const worker = await waitFor(
      () => readEnvFile(join(release, 'worker.env')),
      10_000,
      "the worker's env dump",
    );
    const network = [...Object.keys(NETWORK), 'GOPROXY', 'CORP_TOKEN_URL'].filter(
      (name) => name !== 'PIP_INDEX_URL',
    );
    expect(network.filter((name) => name in worker)).toEqual([]);
    // What the manifest asks for, the worker gets.
    expect(worker.PIP_INDEX_URL).toBe('https://manifest.example/simple');
  });

  it('refuses a NIGHTSHIFT_BUILD_ENV entry that names no variable, and says how to write one', async () => {
    sb = new Sandbox('benv');
    sb.writeApp('workers:\n  - name: w\n    start: sleep 1000\n');
    const res = await sb.cli(['up'], {
      env: { NIGHTSHIFT_BUILD_ENV: 'GOPROXY,NIGHTSHIFT_MASTER_KEY,bad-name' },
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('NS_DAEMON_CONFIG_INVALID');
    expect(res.stderr).toContain('"NIGHTSHIFT_MASTER_KEY", "bad-name"');
    expect(res.stderr).toContain('NIGHTSHIFT_BUILD_ENV=GOPROXY,CARGO_*');
  });
});
