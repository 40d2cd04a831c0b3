/**
 * The error catalogue: every code Nightshift's daemon, API and CLI raise, declared once with its HTTP status and
 * the hint docs/errors.md gives for it (a test keeps the two in step). The manifest, the Kubernetes render and the
 * worker SDK keep their own catalogues in their packages (they depend on nothing of ours).
 *
 * A throw site still writes its own message and, where it knows better, its own hint; the hint here is the general
 * fix, for documentation and for a throw that gives none.
 */
interface Declared {
  readonly code: `NS_${string}`;
  /** The status the API answers with when a route throws it. */
  readonly status: number;
  readonly hint: string;
}

const declare = <const T extends Record<string, Declared>>(table: T): T => table;

export const ERROR_CATALOGUE = declare({
  // General
  internal: { code: 'NS_INTERNAL', status: 500, hint: "report it with the daemon's log" },
  usage: { code: 'NS_USAGE', status: 400, hint: 'run the command with `--help`' },
  unauthorized: {
    code: 'NS_API_UNAUTHORIZED',
    status: 401,
    hint: 'send `Authorization: Bearer <token>` (NIGHTSHIFT_HOME/api.token), or open the link `nightshift dashboard` prints',
  },
  loginRefused: {
    code: 'NS_LOGIN_REFUSED',
    status: 401,
    hint: 'run `nightshift dashboard` for a new login link (a code works once, for 60 s), or paste the API token',
  },
  originRefused: {
    code: 'NS_API_ORIGIN_REFUSED',
    status: 403,
    hint: "changes are accepted only from the dashboard's own page (its Origin); scripts use the bearer token",
  },
  notFound: { code: 'NS_API_NOT_FOUND', status: 404, hint: 'see docs for the API routes' },
  badRequest: {
    code: 'NS_API_BAD_REQUEST',
    status: 400,
    hint: 'send the JSON body and query the route declares (@nightshift/protocol)',
  },
  apiBodyTooLarge: {
    code: 'NS_API_BODY_TOO_LARGE',
    status: 413,
    hint: 'API bodies are small JSON documents: a deploy names a folder, it does not upload it',
  },
  confirmMismatch: {
    code: 'NS_CONFIRM_MISMATCH',
    status: 400,
    hint: "pass `--confirm NAME` with the app's exact name",
  },
  // Daemon
  daemonNotRunning: {
    code: 'NS_DAEMON_NOT_RUNNING',
    status: 400,
    hint: 'start it with `nightshift up` in an app folder, or `nightshift daemon` in the foreground',
  },
  daemonAlreadyRunning: {
    code: 'NS_DAEMON_ALREADY_RUNNING',
    status: 400,
    hint: 'use it (`nightshift ps`), or stop it first with `nightshift daemon stop`',
  },
  daemonStartFailed: {
    code: 'NS_DAEMON_START_FAILED',
    status: 400,
    hint: "fix what it says; the daemon's log is `daemon.log` in its home",
  },
  daemonPortInUse: {
    code: 'NS_DAEMON_PORT_IN_USE',
    status: 400,
    hint: 'stop that program, or pick another port: `NIGHTSHIFT_HTTP_PORT=7301 nightshift up` or `nightshift daemon --port 7301` (0 = any free port)',
  },
  daemonConfigInvalid: {
    code: 'NS_DAEMON_CONFIG_INVALID',
    status: 400,
    hint: 'fix the variable as the message says (README, Environment)',
  },
  homeUnsafe: { code: 'NS_HOME_UNSAFE', status: 400, hint: 'use a `NIGHTSHIFT_HOME` of your own' },
  stateTooNew: {
    code: 'NS_STATE_TOO_NEW',
    status: 400,
    hint: 'run the nightshift version that wrote the home, or a newer one (docs/operating.md, Upgrading)',
  },
  // Apps, processes, deploys
  appNotFound: {
    code: 'NS_APP_NOT_FOUND',
    status: 404,
    hint: 'list apps with `nightshift apps`; deploy one with `nightshift up`',
  },
  appUnspecified: {
    code: 'NS_APP_UNSPECIFIED',
    status: 400,
    hint: "pass --app NAME, or run the command in the app's folder",
  },
  processNotFound: {
    code: 'NS_PROCESS_NOT_FOUND',
    status: 404,
    hint: '`nightshift ps` lists the processes of the live release',
  },
  scaleInvalid: {
    code: 'NS_SCALE_INVALID',
    status: 400,
    hint: 'write PROCESS=N, PROCESS+N or PROCESS-N, e.g. `nightshift scale emails=4`',
  },
  scaleAutoscaled: {
    code: 'NS_SCALE_AUTOSCALED',
    status: 409,
    hint: "the autoscaler sets its count: change its bounds with `nightshift scale PROC --min N --max M` (they hold until a deploy changes the manifest's)",
  },
  noRelease: { code: 'NS_NO_RELEASE', status: 404, hint: 'deploy it first with `nightshift up`' },
  manifestInvalid: {
    code: 'NS_MANIFEST_INVALID',
    status: 400,
    hint: 'run `nightshift validate` and fix what it reports',
  },
  snapshotFailed: {
    code: 'NS_SNAPSHOT_FAILED',
    status: 400,
    hint: 'check the folder (or the git ref) and its permissions',
  },
  buildFailed: {
    code: 'NS_BUILD_FAILED',
    status: 400,
    hint: 'fix the build command; its last lines are in the message and in `nightshift logs build`',
  },
  deployInProgress: {
    code: 'NS_DEPLOY_IN_PROGRESS',
    status: 409,
    hint: 'wait for the running deploy to finish',
  },
  deployStartFailed: {
    code: 'NS_DEPLOY_START_FAILED',
    status: 400,
    hint: 'fix what the error names (a missing program, too many open files) and deploy again',
  },
  deployRolledBack: {
    code: 'NS_DEPLOY_ROLLED_BACK',
    status: 409,
    hint: 'the evidence is in `nightshift events` (`deploy:rolled-back`) and `nightshift logs`; fix the release and deploy again',
  },
  spawnFailed: {
    code: 'NS_SPAWN_FAILED',
    status: 400,
    hint: "check the command and that it exists in the release (PATH is the daemon's PATH)",
  },
  envTooLarge: {
    code: 'NS_ENV_TOO_LARGE',
    status: 400,
    hint: 'put large data in a file of the release and pass its path',
  },
  portOverlap: {
    code: 'NS_PORT_OVERLAP',
    status: 400,
    hint: 'replica N listens on port + N − 1: scale to fewer, or move a port in the manifest past the other range',
  },
  replicaLimit: {
    code: 'NS_REPLICA_LIMIT',
    status: 400,
    hint: 'ask for fewer, or start the daemon with a higher `NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS` / `NIGHTSHIFT_MAX_REPLICAS`',
  },
  // Logs and drains
  logOptionsInvalid: {
    code: 'NS_LOG_OPTIONS_INVALID',
    status: 400,
    hint: "fix the value in the daemon's configuration (logs section)",
  },
  logNameInvalid: {
    code: 'NS_LOG_NAME_INVALID',
    status: 400,
    hint: 'use names matching `[a-z][a-z0-9-]{0,39}`; sources like `emails.2`, `cron:nightly#41`, `build:v3`',
  },
  logIdInvalid: {
    code: 'NS_LOG_ID_INVALID',
    status: 400,
    hint: 'pass back an id exactly as a line carried it',
  },
  logClosed: { code: 'NS_LOG_CLOSED', status: 400, hint: 'capture before the daemon shuts down' },
  logWriteFailed: {
    code: 'NS_LOG_WRITE_FAILED',
    status: 400,
    hint: 'free disk space or fix the permissions of the daemon home',
  },
  logRetentionFailed: {
    code: 'NS_LOG_RETENTION_FAILED',
    status: 500,
    hint: 'check the permissions and free space of the daemon home; retention and compression retry at the next rotation or sweep',
  },
  logFollowerDropped: {
    code: 'NS_LOG_FOLLOWER_DROPPED',
    status: 400,
    hint: 'reconnect with the last id delivered (SSE: `Last-Event-ID`) to resume from the stored lines',
  },
  drainUrlInvalid: {
    code: 'NS_DRAIN_URL_INVALID',
    status: 400,
    hint: 'use `syslog+tcp://`, `syslog+tls://`, `https://`, `loki+https://` (or `loki+http://`)',
  },
  // Config vars and secrets
  apiLocalOnly: {
    code: 'NS_API_LOCAL_ONLY',
    status: 403,
    hint: "use `nightshift run` on the daemon's machine: it talks over the Unix socket",
  },
  secretsKeyInvalid: {
    code: 'NS_SECRETS_KEY_INVALID',
    status: 400,
    hint: 'make one with `openssl rand -base64 32`, or remove it to let the daemon keep its own key',
  },
  secretsKeyUnsafe: {
    code: 'NS_SECRETS_KEY_UNSAFE',
    status: 400,
    hint: '`chmod 600` the file (and rotate the key if others may have read it)',
  },
  secretsKeyMismatch: {
    code: 'NS_SECRETS_KEY_MISMATCH',
    status: 500,
    hint: 'restore the `master.key` that belongs with this `state.db`, or the right `NIGHTSHIFT_MASTER_KEY`',
  },
  secretsKeyFromEnv: {
    code: 'NS_SECRETS_KEY_FROM_ENV',
    status: 400,
    hint: 'move the key to `master.key` (0600), unset the variable, restart the daemon, then rotate',
  },
  secretDecryptFailed: {
    code: 'NS_SECRET_DECRYPT_FAILED',
    status: 500,
    hint: 'set the secret again, or restore `state.db` and `master.key` from the same backup',
  },
  secretNameInvalid: {
    code: 'NS_SECRET_NAME_INVALID',
    status: 400,
    hint: 'use letters, digits and underscores, not starting with a digit, e.g. `DATABASE_URL`',
  },
  secretValueInvalid: {
    code: 'NS_SECRET_VALUE_INVALID',
    status: 400,
    hint: 'pipe the value in; `secrets rm` to delete; keep large data elsewhere',
  },
  secretNotFound: {
    code: 'NS_SECRET_NOT_FOUND',
    status: 404,
    hint: '`nightshift secrets ls` lists the names',
  },
  secretInUse: {
    code: 'NS_SECRET_IN_USE',
    status: 409,
    hint: 'remove it from the manifest and deploy first, or pass `--force`',
  },
  secretConfigConflict: {
    code: 'NS_SECRET_CONFIG_CONFLICT',
    status: 409,
    hint: "keep it in one place: `config unset` it, or remove it from the secrets and the manifest's `secrets:`",
  },
  configNameInvalid: { code: 'NS_CONFIG_NAME_INVALID', status: 400, hint: 'rename it' },
  configValueInvalid: {
    code: 'NS_CONFIG_VALUE_INVALID',
    status: 400,
    hint: 'remove the NUL (base64 for binary); keep large data elsewhere',
  },
  configNotFound: { code: 'NS_CONFIG_NOT_FOUND', status: 404, hint: '`nightshift config ls` lists them' },
  deploySecretsMissing: {
    code: 'NS_DEPLOY_SECRETS_MISSING',
    status: 400,
    hint: '`nightshift secrets set NAME` for each, then deploy again',
  },
  // Redis
  redisUnavailable: {
    code: 'NS_REDIS_UNAVAILABLE',
    status: 400,
    hint: "install Redis ≥ 6.2 so that `redis-server` is on the daemon's PATH (Debian: `apt-get install redis-server`), or set NIGHTSHIFT_REDIS_ADMIN_URL to a Redis the daemon may manage; then restart the daemon",
  },
  redisConnectFailed: {
    code: 'NS_REDIS_CONNECT_FAILED',
    status: 503,
    hint: "check that the Redis of NIGHTSHIFT_REDIS_ADMIN_URL runs and its password is right (or the managed one's `redis.log` in the daemon home)",
  },
  redisNoAclRights: {
    code: 'NS_REDIS_NO_ACL_RIGHTS',
    status: 400,
    hint: 'give the daemon a user with `+@all ~* &*` (or at least `+acl +config|get +info +scan +unlink`) in NIGHTSHIFT_REDIS_ADMIN_URL',
  },
  redisVersionUnsupported: {
    code: 'NS_REDIS_VERSION_UNSUPPORTED',
    status: 400,
    hint: "upgrade to Redis 6.2 or later: older versions have no channel rules (`&pattern`), so apps could read each other's messages",
  },
  redisEvictionPolicy: {
    code: 'NS_REDIS_EVICTION_POLICY',
    status: 400,
    hint: 'run `CONFIG SET maxmemory-policy noeviction` on that Redis (and in its config file), or start the daemon without --require-noeviction',
  },
  redisNotEnabled: {
    code: 'NS_REDIS_NOT_ENABLED',
    status: 404,
    hint: 'set `redis: true` in the manifest and deploy',
  },
  // Queues (BullMQ bulk operations)
  queueNoRedis: {
    code: 'NS_QUEUE_NO_REDIS',
    status: 409,
    hint: 'set `redis: true` in .paas/app.yaml and deploy, or `nightshift config set REDIS_URL=redis://…` for a Redis of its own',
  },
  queueNotFound: {
    code: 'NS_QUEUE_NOT_FOUND',
    status: 404,
    hint: '`nightshift queues` lists the queues found',
  },
  queueMatchInvalid: {
    code: 'NS_QUEUE_MATCH_INVALID',
    status: 400,
    hint: 'write --match data.tenant=acme (dots between fields; `name`, `data.…`, `opts.…`)',
  },
  queueRedisUnreachable: {
    code: 'NS_QUEUE_REDIS_UNREACHABLE',
    status: 503,
    hint: "`nightshift redis info` for the daemon's Redis; for an app's own, check REDIS_URL (`nightshift config ls`)",
  },
  // Cron
  cronJobNotFound: {
    code: 'NS_CRON_JOB_NOT_FOUND',
    status: 404,
    hint: 'check the name with `nightshift cron ls`; a job removed from the manifest keeps its history under its old name',
  },
  cronRunNotFound: {
    code: 'NS_CRON_RUN_NOT_FOUND',
    status: 404,
    hint: 'run ids are in `nightshift cron history NAME`',
  },
  cronNotRunning: {
    code: 'NS_CRON_NOT_RUNNING',
    status: 409,
    hint: 'nothing to cancel: see `nightshift cron ls` and `nightshift cron history NAME`',
  },
  cronOverlap: {
    code: 'NS_CRON_OVERLAP',
    status: 409,
    hint: 'wait for it to end, or `nightshift cron run NAME --force`',
  },
  // Usage accounting
  usageRangeInvalid: {
    code: 'NS_USAGE_RANGE_INVALID',
    status: 400,
    hint: 'give `--since`/`--until` as a duration back from now (`30d`, `12h`) or an ISO time, since before until',
  },
  // Setting up (the CLI alone: nightshift init)
  initManifestExists: {
    code: 'NS_INIT_MANIFEST_EXISTS',
    status: 409,
    hint: 'keep it, or pass `--force` to replace it with a new starter',
  },
  initNoSource: {
    code: 'NS_INIT_NO_SOURCE',
    status: 400,
    hint: 'add a Procfile (`web: node server.js`), a `start` or `worker` script to package.json, or an ecosystem.config.js; or write `.paas/app.yaml` by hand (docs/getting-started.md)',
  },
  initSourceUnreadable: {
    code: 'NS_INIT_SOURCE_UNREADABLE',
    status: 400,
    hint: 'fix the file so that `node -e "require(\'./ecosystem.config.js\')"` loads it, or pass `--from procfile` or `--from package`',
  },
});

type Catalogue = typeof ERROR_CATALOGUE;

/** Each declared code by its short name: `ErrorCodes.appNotFound` is `'NS_APP_NOT_FOUND'`. */
export const ErrorCodes = Object.fromEntries(
  Object.entries(ERROR_CATALOGUE).map(([name, declared]) => [name, declared.code]),
) as { readonly [K in keyof Catalogue]: Catalogue[K]['code'] };

export type ErrorCode = Catalogue[keyof Catalogue]['code'];

const byCode = new Map<string, Declared>(Object.values(ERROR_CATALOGUE).map((d) => [d.code, d]));

/** The declaration of a code, or undefined for a code this catalogue does not hold (the manifest's, the SDK's). */
export function declaredError(code: string): Declared | undefined {
  return byCode.get(code);
}

/**
 * HTTP status for an error code. A code this catalogue does not declare answers 400, as the API always has;
 * an error that is not ours at all is `NS_INTERNAL` (500) before it gets here (`toErrorBody`).
 */
export function statusOf(code: string): number {
  return byCode.get(code)?.status ?? 400;
}
