/**
 * Every environment variable the CLI and the daemon read, for `--help` (README's "Environment" lists the same).
 * A test compares this list with the names the sources read, so a new variable cannot stay undocumented.
 */
const VARIABLES: readonly (readonly [name: string, meaning: string])[] = [
  ['NIGHTSHIFT_HOME', "the daemon's home (state, releases, logs, socket); default ~/.nightshift"],
  ['NIGHTSHIFT_HTTP_PORT', "the API's TCP port (daemon --port wins); default 7300, 0 = any free port"],
  ['NIGHTSHIFT_HTTP_HOST', "the API's TCP address (daemon --host wins); default 127.0.0.1"],
  ['NIGHTSHIFT_REGION', 'the region processes see as NIGHTSHIFT_REGION; default local'],
  ['NIGHTSHIFT_MASTER_KEY', 'the secrets master key (base64 of 32 bytes) instead of <home>/master.key'],
  ['NIGHTSHIFT_BUILD_ENV', 'more variables for release builds: NAME1,NAME2,PREFIX_*'],
  ['NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS', 'the most replicas one process may run; default 100'],
  ['NIGHTSHIFT_MAX_REPLICAS', 'the most replicas of all apps together; default 500'],
  [
    'NIGHTSHIFT_REDIS_ADMIN_URL',
    'an existing Redis (≥ 6.2, ACL rights) for `redis: true` apps; unset: a managed redis-server from PATH',
  ],
  ['NIGHTSHIFT_REDIS_MAXMEMORY', "the managed redis-server's maxmemory; default 256mb"],
  ['NIGHTSHIFT_REDIS_REQUIRE_NOEVICTION', '1 = like daemon --require-noeviction'],
  ['NIGHTSHIFT_REDIS_SAMPLE_MS', 'how often Redis memory and refused writes are sampled; default 10000'],
  [
    'NIGHTSHIFT_LOGS_RETAIN',
    "disk an app's logs may hold unless its manifest sets logs.retain; default 500Mi",
  ],
  [
    'NIGHTSHIFT_LOGS_MAX_AGE',
    'age after which log segments go unless the manifest sets logs.max_age; default none',
  ],
  ['NIGHTSHIFT_LOGS_TOTAL', 'disk the logs of all apps together may hold; default 10Gi, none = no cap'],
  [
    'NIGHTSHIFT_METRICS_LISTEN',
    'also serve /metrics without the token on this loopback address, e.g. 127.0.0.1:9100',
  ],
  ['NIGHTSHIFT_METRICS', 'off: no sampling of replica CPU/memory and no scraping of replicas; default on'],
  ['NIGHTSHIFT_AUTOSCALE_PERIOD_MS', 'time between autoscale decisions; default 15000'],
  [
    'NIGHTSHIFT_USAGE_PRICES',
    'prices for `usage`, e.g. vcpu_minute=0.0004,gib_minute=0.0001; default none (no cost column)',
  ],
  [
    'NIGHTSHIFT_USAGE_HEARTBEAT',
    'how often the daemon records that it is alive (usage after kill -9); default 15s',
  ],
  [
    'NIGHTSHIFT_USAGE_RETENTION',
    'how long ended usage periods are kept (at least 1d, or none); default 400d',
  ],
  ['NIGHTSHIFT_CLOCK_OFFSET_MS', "shifts the daemon's clock (tests); default 0"],
  [
    'NIGHTSHIFT_CGROUPS',
    'off: no cgroups, memory limits enforced softly by a watchdog; default: what the machine offers',
  ],
  [
    'HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR REQUESTS_CA_BUNDLE PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_TRUSTED_HOST npm_config_*',
    "the daemon's network settings: release builds get them, web, workers and cron do not",
  ],
  ['PATH HOME LANG', "the daemon's, passed to every process it starts (with TZ=UTC)"],
  ['NO_COLOR', 'no colours in `nightshift logs` on a terminal'],
];

/** The `Environment:` block shown after the commands in `nightshift --help`. */
export function environmentHelp(): string {
  const lines = VARIABLES.flatMap(([names, meaning]) => [
    ...wrap(names, 76).map((line) => `  ${line}`),
    `      ${meaning}`,
  ]);
  return `\nEnvironment:\n${lines.join('\n')}\n`;
}

/** Space-separated names in lines of at most `width` characters (a name is never cut). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}
