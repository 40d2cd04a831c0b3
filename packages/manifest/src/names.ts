/**
 * Names, patterns and limits the daemon needs at run time too. Dependency-free on purpose: the daemon imports this as
 * `@nightshift/manifest/names`, and the package's main entry would load zod and yaml with it.
 */

export {
  MAX_CRON_JOBS,
  MAX_DURATION_MS,
  MAX_MANIFEST_BYTES,
  MAX_REPORTED_DIAGNOSTICS,
  MAX_WORKERS,
  MIN_LOG_RETAIN_BYTES,
  utf8Length,
} from './limits.js';
export { formatDuration, formatSize, tryParseDuration, tryParseSize } from './units.js';

/** App and region names: `[a-z][a-z0-9-]{0,39}` (they name DNS labels, Redis users and clusters as written). */
export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Worker and cron job names: the names users already write (`stale_cleanup`, `hourly_sync`, `Emails`): a letter,
 * then letters, digits, `-` and `_`, 40 at most. Where a target needs a DNS label it uses `dnsLabelOf`; the
 * manifest refuses two names with the same label, so the mapping never merges two processes.
 */
export const PROCESS_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** The DNS-label form of a worker or cron name: lower case, `_` → `-` (`stale_cleanup` → `stale-cleanup`). */
export function dnsLabelOf(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/**
 * The app name a folder gives a manifest that has none (DESIGN §2: "default: the folder's name"): lower-cased,
 * every run of other characters one `-`, leading non-letters dropped, at most 40 characters, no `-` at either
 * end. `My_Shop` → `my-shop`, `tmp.x1` → `tmp-x1`. Null when no letter is left (`2024`, `___`).
 */
export function appNameFromFolder(folder: string): string | null {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return NAME_PATTERN.test(name) ? name : null;
}

/** Environment variable and secret names, as POSIX shells accept them. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names the platform sets in every process (DESIGN §3). A manifest may not define them: a worker must never
 * see `PORT`, and `NIGHTSHIFT_*` must mean what the platform says.
 */
export function isReservedEnvName(name: string, redis: boolean): boolean {
  if (name === 'PORT' || name === 'HEALTH_PORT' || name === 'METRICS_PORT') return true;
  if (name.startsWith('NIGHTSHIFT_')) return true;
  return redis && name === 'REDIS_URL';
}

/** The nicknames Nightshift accepts, with the 5-field expression each stands for. `@reboot` is not one. */
export const CRON_NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
