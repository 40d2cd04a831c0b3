/** App, process, cron job and region names: `[a-z][a-z0-9-]{0,39}` (fits DNS labels and Redis user names). */
export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

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
