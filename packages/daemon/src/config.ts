import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { defaultHome } from './home.js';
import { DEFAULT_REPLICA_LIMITS, type ReplicaLimits } from './supervisor/pure/limits.js';
import { type BuildEnvPattern, pickBuildEnv } from './releases/build-env.js';

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
  /** NIGHTSHIFT_METRICS_LISTEN: a loopback address serving `/metrics` without the token; null for none. */
  readonly metricsListen: { readonly host: string; readonly port: number } | null;
  /**
   * NIGHTSHIFT_METRICS=off stops sampling replica usage and scraping replicas (`/metrics` still serves the
   * daemon's own series); the overhead benchmark compares the two.
   */
  readonly replicaMetrics: boolean;
}

export function parseDaemonConfig(
  env: NodeJS.ProcessEnv,
  flags: { port?: string | undefined; host?: string | undefined } = {},
): DaemonConfig {
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
    metricsListen: parseMetricsListen(env.NIGHTSHIFT_METRICS_LISTEN),
    replicaMetrics: parseSwitch('NIGHTSHIFT_METRICS', env.NIGHTSHIFT_METRICS),
  };
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
