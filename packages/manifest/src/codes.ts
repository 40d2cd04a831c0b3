/**
 * The catalogue of manifest problems. Every diagnostic carries one of these codes; the code is stable, the
 * message says what and where, and the hint (a default one here, often a sharper one at the call site) says how
 * to fix it. `docs/errors.md` is generated from this table, so the two cannot drift.
 */
export interface CodeInfo {
  readonly severity: 'error' | 'warning';
  /** What the code means, one line, for the catalogue. */
  readonly meaning: string;
  /** The default hint when the finding has no sharper one. */
  readonly hint: string;
}

function error(meaning: string, hint: string): CodeInfo {
  return { severity: 'error', meaning, hint };
}

export const MANIFEST_CODES = {
  NS_MANIFEST_YAML_SYNTAX: error(
    'the file is not valid YAML',
    'fix the YAML at the position shown (indentation, quotes, brackets)',
  ),
  NS_MANIFEST_TOO_LARGE: error(
    'the manifest is over 1 MiB; it is refused before it is parsed',
    'a manifest describes processes, not data: keep it under 1 MiB (move large values into files of the release)',
  ),
  NS_MANIFEST_DUPLICATE_KEY: error('a key appears twice in the same mapping', 'keep one of the two keys'),
  NS_MANIFEST_EMPTY: error(
    'the manifest has no content',
    'add at least a `workers`, `web` or `cron` section',
  ),
  NS_MANIFEST_UNKNOWN_KEY: error(
    'a key the manifest does not define',
    'check the spelling against docs/manifest.md',
  ),
  NS_MANIFEST_MISSING_KEY: error('a required key is missing', 'add the key'),
  NS_MANIFEST_WRONG_TYPE: error(
    'a value has the wrong type (text, number, list, mapping…)',
    'change the value to the expected type',
  ),
  NS_MANIFEST_INVALID_VALUE: error(
    'a value is out of range or not one of the allowed values',
    'use one of the allowed values',
  ),
  NS_MANIFEST_INVALID_NAME: error(
    'an app or region name does not match `[a-z][a-z0-9-]{0,39}`, or a worker or cron name `[A-Za-z][A-Za-z0-9_-]{0,39}`',
    'start with a letter, at most 40 characters: lower-case letters, digits and `-` for apps and regions; letters, digits, `-` and `_` for workers and cron jobs',
  ),
  NS_MANIFEST_DUPLICATE_NAME: error(
    'two of web, workers and cron jobs share a name',
    'give every process and cron job its own name',
  ),
  NS_MANIFEST_NAME_CLASH: error(
    'two worker or cron names differ only in case or in `_` versus `-` (`a_b`, `a-b`): where names must be DNS labels (Kubernetes) they would be one',
    'rename one of them',
  ),
  NS_MANIFEST_DUPLICATE_ENTRY: error(
    'a list of names (secrets, regions) repeats an entry',
    'list each name once',
  ),
  NS_MANIFEST_INVALID_DURATION: error(
    'a duration is not a number with a unit',
    'write a number with a unit: `500ms`, `10s`, `5m`, `1h`, `1d` (or combined: `1h30m`)',
  ),
  NS_MANIFEST_DURATION_RANGE: error(
    'a duration is longer than its field allows (e.g. `stop_grace` over 1h, a cron `timeout` over 7d)',
    'use a duration within the range in the message; docs/manifest.md lists each field’s bound',
  ),
  NS_MANIFEST_INVALID_MEMORY: error(
    'a memory size is not a number with a unit',
    'write a size with a unit: `512Mi`, `1Gi` (binary) or `500M`, `1G` (decimal)',
  ),
  NS_MANIFEST_INVALID_SIZE: error(
    'a size of stored data (`logs.retain`) is not a number with a unit, or is below its field’s least',
    'write a size with a unit: `100Mi`, `1GiB` (binary) or `500MB`, `1G` (decimal); `logs.retain` is at least 1Mi',
  ),
  NS_MANIFEST_INVALID_CPU: error(
    'a CPU amount is not a positive number of cores or millicores',
    'write cores (`0.5`, `2`) or millicores (`500m`)',
  ),
  NS_MANIFEST_COMMAND_MISSING: error(
    'a process has neither `start` nor `command`',
    'add `start: <command line>` (or `command: [program]` with `args`)',
  ),
  NS_MANIFEST_COMMAND_CONFLICT: error(
    '`start` and `command` are both given, or `args` comes without a `command` list',
    'use either `start: <command line>` or `command: [program]` plus `args: […]`',
  ),
  NS_MANIFEST_COMMAND_SYNTAX: error(
    'a command line is empty or its quotes are not closed',
    'close every quote; an empty command runs nothing',
  ),
  NS_MANIFEST_REPLICAS_CONFLICT: error(
    '`replicas` and `autoscale` are both given',
    'keep `replicas` for a fixed count or `autoscale` for a range, not both',
  ),
  NS_MANIFEST_AUTOSCALE_RANGE: error(
    'autoscale bounds are invalid (`min` below 0, `max` below 1, or `min` above `max`)',
    'use 0 ≤ min ≤ max and max ≥ 1',
  ),
  NS_MANIFEST_AUTOSCALE_NEEDS_RESOURCES: error(
    'autoscaling on CPU or memory without the matching `resources` entry',
    'set `resources.cpu` (or `resources.memory`): utilisation is a percentage of it',
  ),
  NS_MANIFEST_PORT_RANGE: error(
    'a port is outside 1024–65535 (or the last replica’s, port + N − 1, would be)',
    'use a port between 1024 and 65535 (ports below 1024 need root)',
  ),
  NS_MANIFEST_PORT_CONFLICT: error(
    'two ports of one process are the same (web, health, metrics)',
    'give the health and metrics endpoints ports of their own',
  ),
  NS_MANIFEST_PORT_OVERLAP: error(
    'two processes claim overlapping port ranges (replica N listens on port + N − 1)',
    'move one port past the other range: each process reserves port … port + replicas − 1',
  ),
  NS_MANIFEST_MEMORY_RANGE: error(
    'a memory limit is below 4Mi',
    'use at least 4Mi; a Node.js process needs about 40Mi',
  ),
  NS_MANIFEST_UNKNOWN_REGION: error(
    'a region override or cron `region` names a region not listed in `regions`',
    'add the region to the top-level `regions` list, or fix its name',
  ),
  NS_MANIFEST_CRON_FIELDS: error(
    'a cron schedule does not have exactly 5 fields',
    'write minute hour day-of-month month day-of-week, e.g. `0 2 * * *`, or a nickname such as `@daily`',
  ),
  NS_MANIFEST_CRON_SECONDS: error(
    'a cron schedule has a seconds (or year) field',
    'drop the seconds field: Nightshift schedules have minute precision',
  ),
  NS_MANIFEST_CRON_TIMEZONE: error(
    'a cron schedule has a `TZ=`/`CRON_TZ=` prefix',
    'remove the prefix and write the time in UTC: schedules are always UTC',
  ),
  NS_MANIFEST_CRON_NICKNAME: error(
    'a cron nickname is unknown or not supported (`@reboot`)',
    'use @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually',
  ),
  NS_MANIFEST_CRON_SYNTAX: error(
    'a cron field is not valid',
    'check the field against `minute hour day-of-month month day-of-week`',
  ),
  NS_MANIFEST_CRON_NEVER: error(
    'a cron schedule has no slot in the next 5 years',
    'check the day and month: e.g. `0 0 30 2 *` asks for February 30th',
  ),
  NS_MANIFEST_CRON_DOM_DOW: {
    severity: 'warning',
    meaning:
      'a cron schedule restricts both day-of-month and day-of-week, which run on either (Vixie cron OR)',
    hint: 'if you meant "the 13th when it is a Friday", schedule one of them and check the other in the job',
  },
  NS_MANIFEST_ENV_NAME: error(
    'an environment variable or secret name is not `[A-Za-z_][A-Za-z0-9_]*`',
    'use letters, digits and underscores, not starting with a digit',
  ),
  NS_MANIFEST_ENV_RESERVED: error(
    'an environment variable or secret name is set by Nightshift itself',
    'rename it: PORT, HEALTH_PORT, METRICS_PORT, NIGHTSHIFT_* (and REDIS_URL with `redis: true`) are provided by the platform',
  ),
  NS_MANIFEST_SECRET_IN_ENV: error(
    'a name is defined both in `env` and in `secrets`',
    'keep the name in one place: `secrets` for sensitive values, `env` for plain config',
  ),
  NS_MANIFEST_NOTHING_TO_RUN: {
    severity: 'warning',
    meaning: 'the manifest defines no web process, worker or cron job',
    hint: 'add a `workers`, `web` or `cron` section',
  },
  NS_MANIFEST_FILE_NOT_FOUND: error(
    'the manifest file does not exist',
    'run the command in the app folder (with `.paas/app.yaml`) or pass the file',
  ),
  NS_MANIFEST_FILE_UNREADABLE: error(
    'the manifest file exists but cannot be read',
    'check the file is a readable file, not a folder, and its permissions',
  ),
} as const satisfies Record<string, CodeInfo>;

export type ManifestCode = keyof typeof MANIFEST_CODES;

/** Codes raised while reading the file (by the CLI), not by `parseManifest`. */
export const FILE_CODES: readonly ManifestCode[] = [
  'NS_MANIFEST_FILE_NOT_FOUND',
  'NS_MANIFEST_FILE_UNREADABLE',
];

/** Whether a string is one of the manifest codes (for callers that received a code over the wire). */
export function isManifestCode(code: string): code is ManifestCode {
  return Object.hasOwn(MANIFEST_CODES, code);
}
