/**
 * The variables of the daemon's own environment that a release build gets besides PATH, HOME and LANG. A build
 * downloads packages (`npm ci`, `pip install`): behind a proxy or a private CA it fails without the operator's
 * network settings. The app's processes never get these (DESIGN §3); a manifest that wants them sets them in `env`.
 */
export const BUILD_NETWORK_NAMES: readonly string[] = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
  'PIP_TRUSTED_HOST',
];

/** Prefixes whose every variable passes, compared without case because npm reads `NPM_CONFIG_*` too. */
export const BUILD_NETWORK_PREFIXES: readonly string[] = ['npm_config_'];

/** One entry of the operator's list (`NIGHTSHIFT_BUILD_ENV`): an exact name, or a prefix when it ends in `*`. */
export interface BuildEnvPattern {
  readonly name: string;
  readonly prefix: boolean;
}

/** The variables of `env` a build passes on: the built-in network names and prefixes, then the operator's. */
export function pickBuildEnv(
  env: NodeJS.ProcessEnv,
  extra: readonly BuildEnvPattern[],
): Record<string, string> {
  const names = new Set([...BUILD_NETWORK_NAMES, ...extra.filter((p) => !p.prefix).map((p) => p.name)]);
  const networkPrefixes = BUILD_NETWORK_PREFIXES.map((p) => p.toLowerCase());
  const extraPrefixes = extra.filter((p) => p.prefix).map((p) => p.name);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (
      names.has(name) ||
      networkPrefixes.some((p) => lower.startsWith(p)) ||
      extraPrefixes.some((p) => name.startsWith(p))
    ) {
      out[name] = value;
    }
  }
  return out;
}
