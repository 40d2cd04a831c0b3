import { realpathSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { defaultHomeDir } from '@nightshift/protocol';
import { systemdUnit } from '../lib/systemd-unit.js';

/** The daemon options a unit passes on: the ones `daemon` itself takes, as given with --systemd-unit. */
const PASSED = [
  ['port', '--port'],
  ['host', '--host'],
  ['requireNoeviction', '--require-noeviction'],
  ['logsRetain', '--logs-retain'],
  ['logsMaxAge', '--logs-max-age'],
  ['logsTotal', '--logs-total'],
] as const;

export function printSystemdUnit(
  opts: Partial<Record<(typeof PASSED)[number][0] | 'user', string | boolean>>,
): void {
  const daemonArgs = PASSED.flatMap(([key, flag]) => {
    const value = opts[key];
    return value === undefined || value === false ? [] : value === true ? [flag] : [flag, value];
  });
  const user = typeof opts.user === 'string' ? opts.user : userInfo().username;
  process.stdout.write(
    systemdUnit({
      node: process.execPath,
      // The bin as installed (npm links it into a prefix's bin/): its real file, which systemd can run anywhere.
      bin: realpathSync(process.argv[1] ?? 'nightshift'),
      // The home as this shell sees it, absolute: the service has no NIGHTSHIFT_HOME of its own.
      home: resolve(defaultHomeDir(process.env, opts.user === undefined ? homedir() : `/home/${user}`)),
      user,
      path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      daemonArgs,
    }),
  );
}
