/**
 * The ACL rule of an app's Redis user (DESIGN §8), established by experiment against Redis 7.0 and BullMQ.
 * PURE: names and argument vectors only.
 */

/** The ACL user of an app. App names are `[a-z][a-z0-9-]*`, so they hold no glob or separator character. */
export const appUser = (app: string): string => `app-${app}`;

/** The app's key and channel namespace; the colon keeps `foo` out of `foobar:*`. */
export const appPrefix = (app: string): string => `${app}:`;

/** Users the daemon owns on a shared Redis: only these are ever changed or deleted. */
export const APP_USER_PREFIX = 'app-';

/**
 * `ACL SETUSER` arguments that replace the user's whole rule (SETUSER is additive; `reset` makes re-applying
 * it idempotent). Every password given stays valid: a rotation lists the old and the new until the processes
 * that hold the old one have restarted.
 */
export function appRule(app: string, passwords: readonly string[]): string[] {
  return [
    appUser(app),
    'reset',
    'on',
    ...passwords.map((password) => `>${password}`),
    // `reset` re-grants every channel when acl-pubsub-default is allchannels: reset them explicitly.
    'resetkeys',
    `~${app}:*`,
    'resetchannels',
    `&${app}:*`,
    '-@all',
    ...[
      '@read',
      '@write',
      '@keyspace',
      '@pubsub',
      '@transaction',
      '@scripting',
      '@connection',
      '@blocking',
    ].map((category) => `+${category}`),
    '-@admin',
    '-@dangerous',
    // BullMQ checks the version and eviction policy with INFO; ioredis uses it as its ready check.
    '+info',
    // BullMQ's scripts call TIME, which is in no data category.
    '+time',
    // Key patterns do not filter these: they would list other apps' key and channel names.
    '-scan',
    '-randomkey',
    '-pubsub',
    '-client|tracking',
    '-client|caching',
    '-client|getredir',
    '-client|trackinginfo',
    // Instance-wide: one app could flush or kill every app's scripts, or block the server.
    '-script|flush',
    '-script|kill',
    '-script|debug',
    // Functions are one namespace shared by every user.
    '-function',
    '-fcall',
    '-fcall_ro',
    // Database 0 only, even on an external Redis with `databases` > 1: keys elsewhere would escape destroy's purge.
    '-select',
    '+select|0',
    '-move',
  ];
}
