import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { defaultHome, homePaths, type HomePaths } from '@nightshift/daemon';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { ApiClient } from './client.js';

export const MANIFEST = '.paas/app.yaml';

export interface CliContext {
  readonly paths: HomePaths;
  readonly client: ApiClient;
}

export function cliContext(): CliContext {
  const paths = homePaths(resolve(defaultHome(process.env)));
  return { paths, client: new ApiClient(paths.socket) };
}

/** The app a command acts on: `--app`, else the `name` of the manifest in the current folder (or the folder's name). */
export function resolveApp(opts: { app?: string | undefined }, cwd = process.cwd()): string {
  if (opts.app) return opts.app;
  const file = join(cwd, MANIFEST);
  if (existsSync(file)) {
    try {
      const doc = parse(readFileSync(file, 'utf8')) as { name?: unknown } | null;
      if (doc && typeof doc.name === 'string') return doc.name;
    } catch {
      // an unreadable manifest still names the app after its folder
    }
    return basename(cwd);
  }
  throw new NightshiftError(
    ErrorCodes.appUnspecified,
    `no app given and no ${MANIFEST} in ${cwd}`,
    'pass --app NAME, or run the command in the app\'s folder',
  );
}

/** The app of a command, from the global `--app` or the current folder. */
export function appOf(cmd: { optsWithGlobals(): object }): string {
  return resolveApp(cmd.optsWithGlobals() as { app?: string });
}
