/**
 * Where an app's BullMQ queues live: `<app>:bull:<name>` in the daemon's Redis for a `redis: true` app (reached as
 * the app's own ACL user, found with SCAN as admin, since the app's user may not SCAN), else in the Redis of the
 * app's `REDIS_URL` (config var or secret), the same place the autoscaler reads queue depth from.
 */
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';

/** What locating needs from the daemon's services. */
export interface QueueSourcesDeps {
  /** Whether the app's live release sets `redis: true`. */
  readonly redisApp: (app: string) => boolean;
  /** The app's URL and prefix on the daemon's Redis (null when not provisioned). */
  readonly redisEnvironment: (app: string) => { url: string; prefix: string } | null;
  /** One command as the Redis administrator. */
  readonly adminCall: (...args: (string | number)[]) => Promise<unknown>;
  /** The app's environment (config vars, secrets, manifest env), null without a live release. */
  readonly env: (app: string) => Record<string, string> | null;
}

/** An app's queue namespace: how to connect, BullMQ's prefix, and how to list its queues' `meta` keys. */
export interface QueueHome {
  readonly url: string;
  /** BullMQ's prefix: `<app>:bull`. */
  readonly prefix: string;
  /** `managed`: the daemon's Redis; `app`: the app's REDIS_URL. */
  readonly where: 'managed' | 'app';
  /** Keys matching `pattern`, by SCAN as admin (managed), or null to scan over the app's own connection. */
  readonly adminScan: ((pattern: string) => Promise<string[]>) | null;
}

/** Throws `NS_QUEUE_NO_REDIS` when the app has neither `redis: true` nor a `REDIS_URL`. */
export function locateQueues(deps: QueueSourcesDeps, app: string): QueueHome {
  const prefix = `${app}:bull`;
  if (deps.redisApp(app)) {
    const env = deps.redisEnvironment(app);
    if (env)
      return { url: env.url, prefix, where: 'managed', adminScan: (pattern) => adminScan(deps, pattern) };
  }
  const url = deps.env(app)?.REDIS_URL;
  if (url) return { url, prefix, where: 'app', adminScan: null };
  throw new NightshiftError(
    ErrorCodes.queueNoRedis,
    `${app} has no Redis, so no BullMQ queues: its live release does not set \`redis: true\` and it has no REDIS_URL config var or secret`,
    'set `redis: true` in .paas/app.yaml and deploy, or `nightshift config set REDIS_URL=redis://…` for a Redis of its own',
  );
}

async function adminScan(deps: QueueSourcesDeps, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = (await deps.adminCall('SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000)) as [
      string,
      string[],
    ];
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}
