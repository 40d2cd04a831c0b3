import {
  MIN_LOG_RETAIN_BYTES,
  MAX_DURATION_MS,
  tryParseDuration,
  tryParseSize,
} from '@nightshift/manifest/names';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { defaultHome } from './home.js';
import { DEFAULT_REPLICA_LIMITS, type ReplicaLimits } from './supervisor/pure/limits.js';
import { type BuildEnvPattern, pickBuildEnv } from './releases/build-env.js';
import { parseUsageSettings, type UsageSettings } from './accounting/settings.js';

/** The daemon's settings, parsed once from its environment and flags; every default lives here. */
export interface DaemonConfig {
  readonly home: string;
  readonly httpHost: string;
  /** 0 picks a free port (written to daemon.json). */
  readonly httpPort: number;
  /** Shifts the daemon's clock; tests use it to jump across cron slots. */
  readonly clockOffsetMs: number;
  readonly region: string;
  /** NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS and NIGHTSHIFT_MAX_REPLICAS. */
  readonly replicaLimits: ReplicaLimits;
  /**
   * The daemon's proxy, CA and package index variables (releases/build-env.ts) plus those `NIGHTSHIFT_BUILD_ENV`
   * names, with their values: release builds get them, the app's processes do not.
   */
  readonly buildEnv: Readonly<Record<string, string>>;
  readonly redis: RedisConfig;
  /**
   * NIGHTSHIFT_CGROUPS=off: no cgroups even where the machine offers them (memory limits fall back to the
   * watchdog). Any other value, or none, uses what the machine offers.
   */
  readonly cgroups: boolean;
  /**
   * Log retention defaults: `NIGHTSHIFT_LOGS_RETAIN` (per app), `NIGHTSHIFT_LOGS_MAX_AGE` (per app),
   * `NIGHTSHIFT_LOGS_TOTAL` (all apps together). A setting left unset is absent here and the log service's default
   * applies (logs/options.ts: 500 MiB, no age limit, 10 GiB); an app's manifest `logs` block overrides the first two.
   */
  readonly logs: LogSettings;
  /** NIGHTSHIFT_METRICS_LISTEN: a loopback address serving `/metrics` without the token; null for none. */
  readonly metricsListen: { readonly host: string; readonly port: number } | null;
  /**
   * NIGHTSHIFT_METRICS=off stops sampling replica usage and scraping replicas (`/metrics` still serves the
   * daemon's own series); the overhead benchmark compares the two.
   */
  readonly replicaMetrics: boolean;
  /** Time between autoscale decisions (NIGHTSHIFT_AUTOSCALE_PERIOD_MS; default the HPA's 15 s). */
  readonly autoscalePeriodMs: number;
  /** Usage accounting: heartbeat, price table, defaults for unset `resources` (accounting/settings.ts). */
  readonly usage: UsageSettings;
}

/** Where `redis: true` apps get their Redis (DESIGN §8). */
export interface RedisConfig {
  /** NIGHTSHIFT_REDIS_ADMIN_URL: an existing Redis whose ACLs the daemon manages; null runs its own. */
  readonly adminUrl: string | null;
  /** The managed redis-server's `maxmemory` in bytes (NIGHTSHIFT_REDIS_MAXMEMORY, e.g. `256mb`). */
  readonly maxmemory: number;
  /** `--require-noeviction` (or NIGHTSHIFT_REDIS_REQUIRE_NOEVICTION=1): an evicting Redis is refused. */
  readonly requireNoeviction: boolean;
  /** How often memory and refused writes are sampled (NIGHTSHIFT_REDIS_SAMPLE_MS). */
  readonly sampleMs: number;
}

export const DEFAULT_REDIS_MAXMEMORY = 256 * 1024 * 1024;
const DEFAULT_REDIS_SAMPLE_MS = 10_000;

export interface LogSettings {
  readonly retainBytes?: number;
  /** null: no age limit (`none`). */
  readonly maxAgeMs?: number | null;
  /** null: no total cap (`none`). */
  readonly totalCapBytes?: number | null;
}

/** `nightshift daemon`'s flags; each wins over its variable. */
export interface DaemonFlags {
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  readonly logsRetain?: string | undefined;
  readonly logsMaxAge?: string | undefined;
  readonly logsTotal?: string | undefined;
  readonly requireNoeviction?: boolean | undefined;
}

export function parseDaemonConfig(env: NodeJS.ProcessEnv, flags: DaemonFlags = {}): DaemonConfig {
  const portText = flags.port ?? env.NIGHTSHIFT_HTTP_PORT ?? '7300';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new NightshiftError(
      ErrorCodes.usage,
      `HTTP port "${portText}" is not a port number`,
      'use 0–65535 (0 = any free port), e.g. --port 7300',
    );
  }
  const offsetText = env.NIGHTSHIFT_CLOCK_OFFSET_MS ?? '0';
  const clockOffsetMs = Number(offsetText);
  if (!Number.isFinite(clockOffsetMs)) {
    throw new NightshiftError(
      ErrorCodes.usage,
      `NIGHTSHIFT_CLOCK_OFFSET_MS="${offsetText}" is not a number`,
      'give milliseconds, e.g. 10800000 for three hours',
    );
  }
  const replicaLimits = {
    perProcess: positiveInt(
      'NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS',
      env.NIGHTSHIFT_MAX_REPLICAS_PER_PROCESS,
      DEFAULT_REPLICA_LIMITS.perProcess,
    ),
    perDaemon: positiveInt(
      'NIGHTSHIFT_MAX_REPLICAS',
      env.NIGHTSHIFT_MAX_REPLICAS,
      DEFAULT_REPLICA_LIMITS.perDaemon,
    ),
  };
  return {
    home: defaultHome(env),
    httpHost: flags.host ?? env.NIGHTSHIFT_HTTP_HOST ?? '127.0.0.1',
    httpPort: port,
    clockOffsetMs,
    region: env.NIGHTSHIFT_REGION ?? 'local',
    replicaLimits,
    buildEnv: pickBuildEnv(env, parseBuildEnvList(env.NIGHTSHIFT_BUILD_ENV ?? '')),
    redis: {
      adminUrl: env.NIGHTSHIFT_REDIS_ADMIN_URL || null,
      maxmemory: parseBytes('NIGHTSHIFT_REDIS_MAXMEMORY', env.NIGHTSHIFT_REDIS_MAXMEMORY),
      requireNoeviction: flags.requireNoeviction === true || env.NIGHTSHIFT_REDIS_REQUIRE_NOEVICTION === '1',
      sampleMs: positiveInt(
        'NIGHTSHIFT_REDIS_SAMPLE_MS',
        env.NIGHTSHIFT_REDIS_SAMPLE_MS,
        DEFAULT_REDIS_SAMPLE_MS,
      ),
    },
    cgroups: env.NIGHTSHIFT_CGROUPS !== 'off',
    autoscalePeriodMs: positiveInt(
      'NIGHTSHIFT_AUTOSCALE_PERIOD_MS',
      env.NIGHTSHIFT_AUTOSCALE_PERIOD_MS,
      15_000,
    ),
    logs: parseLogSettings({
      NIGHTSHIFT_LOGS_RETAIN: flags.logsRetain ?? env.NIGHTSHIFT_LOGS_RETAIN,
      NIGHTSHIFT_LOGS_MAX_AGE: flags.logsMaxAge ?? env.NIGHTSHIFT_LOGS_MAX_AGE,
      NIGHTSHIFT_LOGS_TOTAL: flags.logsTotal ?? env.NIGHTSHIFT_LOGS_TOTAL,
    }),
    metricsListen: parseMetricsListen(env.NIGHTSHIFT_METRICS_LISTEN),
    replicaMetrics: parseSwitch('NIGHTSHIFT_METRICS', env.NIGHTSHIFT_METRICS),
    usage: parseUsageSettings(env),
  };
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `268435456`, `256mb`, `1gb` (Redis's own units, powers of 1024). */
function parseBytes(name: string, text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_REDIS_MAXMEMORY;
  const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  const bytes = match ? Number(match[1]) * BYTE_UNITS[(match[2] ?? '').toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1024 * 1024) {
    throw new NightshiftError(
      ErrorCodes.daemonConfigInvalid,
      `${name}="${text}" is not a memory size of at least 1mb`,
      `give bytes or a size with kb, mb or gb, e.g. ${name}=256mb (the default)`,
    );
  }
  return bytes;
}

/** The log retention variables; each bad one is refused with what it accepts. */
export function parseLogSettings(env: NodeJS.ProcessEnv): LogSettings {
  const settings: { -readonly [K in keyof LogSettings]: LogSettings[K] } = {};
  const retain = given(env.NIGHTSHIFT_LOGS_RETAIN);
  if (retain !== undefined) settings.retainBytes = size('NIGHTSHIFT_LOGS_RETAIN', retain, false)!;
  const total = given(env.NIGHTSHIFT_LOGS_TOTAL);
  if (total !== undefined) settings.totalCapBytes = size('NIGHTSHIFT_LOGS_TOTAL', total, true);
  const age = given(env.NIGHTSHIFT_LOGS_MAX_AGE);
  if (age !== undefined) {
    const ms = age === 'none' ? null : tryParseDuration(age);
    const valid = age === 'none' || (ms !== null && ms > 0 && ms <= MAX_DURATION_MS.logMaxAge);
    if (!valid) {
      throw new NightshiftError(
        ErrorCodes.daemonConfigInvalid,
        `NIGHTSHIFT_LOGS_MAX_AGE (--logs-max-age) "${age}" is not a duration from 1ms to 365d, or none`,
        'e.g. NIGHTSHIFT_LOGS_MAX_AGE=14d (segments whose newest line is older are removed), or none',
      );
    }
    settings.maxAgeMs = ms;
  }
  return settings;
}

/** A variable's value, or undefined when it is unset or blank. */
function given(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text === undefined || text === '' ? undefined : text;
}

const FLAG_OF: Readonly<Record<string, string>> = {
  NIGHTSHIFT_LOGS_RETAIN: '--logs-retain',
  NIGHTSHIFT_LOGS_TOTAL: '--logs-total',
};

function size(name: string, text: string, noneAllowed: boolean): number | null {
  if (noneAllowed && text === 'none') return null;
  const bytes = tryParseSize(text);
  if (bytes === null || bytes < MIN_LOG_RETAIN_BYTES) {
    throw new NightshiftError(
      ErrorCodes.daemonConfigInvalid,
      `${name} (${FLAG_OF[name]}) "${text}" is not a size of at least 1Mi${noneAllowed ? ', or none' : ''}`,
      `write a size with a unit, e.g. ${name}=${noneAllowed ? '20GiB' : '1GiB'}`,
    );
  }
  return bytes;
}

/**
 * `127.0.0.1:9100` or `[::1]:9100`. Loopback only: this listener has no token, so any other address would
 * publish every app's names and numbers to the network.
 */
function parseMetricsListen(text: string | undefined): DaemonConfig['metricsListen'] {
  if (text === undefined || text === '') return null;
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  const hint =
    'give a loopback address and port, e.g. NIGHTSHIFT_METRICS_LISTEN=127.0.0.1:9100; to reach /metrics from elsewhere, scrape the API port with the token';
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new NightshiftError(
      ErrorCodes.daemonConfigInvalid,
      `NIGHTSHIFT_METRICS_LISTEN="${text}" is not an address:port`,
      hint,
    );
  }
  if (!(host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host))) {
    throw new NightshiftError(
      ErrorCodes.daemonConfigInvalid,
      `NIGHTSHIFT_METRICS_LISTEN="${text}" is not a loopback address: /metrics there has no token`,
      hint,
    );
  }
  return { host, port };
}

function parseSwitch(name: string, text: string | undefined): boolean {
  if (text === undefined || text === '' || text === 'on') return true;
  if (text === 'off') return false;
  throw new NightshiftError(ErrorCodes.usage, `${name}="${text}" is neither on nor off`, `e.g. ${name}=off`);
}

const BUILD_ENV_ENTRY = /^([A-Za-z_][A-Za-z0-9_]*)(\*?)$/;

/** `NAME1,NAME2,PREFIX_*`: more variables for builds. Every bad entry is named, so one fix covers them all. */
function parseBuildEnvList(text: string): BuildEnvPattern[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const patterns: BuildEnvPattern[] = [];
  const bad: string[] = [];
  for (const entry of entries) {
    const match = BUILD_ENV_ENTRY.exec(entry);
    // NIGHTSHIFT_* are the daemon's own settings, the master key among them: never handed to app code.
    if (match === null || entry.startsWith('NIGHTSHIFT_')) bad.push(JSON.stringify(entry));
    else patterns.push({ name: match[1]!, prefix: match[2] === '*' });
  }
  if (bad.length > 0) {
    throw new NightshiftError(
      ErrorCodes.daemonConfigInvalid,
      `NIGHTSHIFT_BUILD_ENV lists ${bad.join(', ')}, which cannot name variables for builds`,
      'give variable names separated by commas, a trailing * for a prefix, none starting with NIGHTSHIFT_: e.g. NIGHTSHIFT_BUILD_ENV=GOPROXY,CARGO_*',
    );
  }
  return patterns;
}

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new NightshiftError(
      ErrorCodes.usage,
      `${name}="${text}" is not a whole number ≥ 1`,
      `e.g. ${name}=${fallback} (the default)`,
    );
  }
  return n;
}
