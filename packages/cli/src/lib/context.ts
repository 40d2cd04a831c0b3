import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { defaultHomeDir, ErrorCodes, homeLayout, NightshiftError, type HomeLayout } from '@nightshift/protocol';
import { ApiClient } from './client.js';

export const MANIFEST = '.paas/app.yaml';

export interface CliContext {
  readonly paths: HomeLayout;
  readonly client: ApiClient;
}

export function cliContext(): CliContext {
  const paths = homeLayout(resolve(defaultHomeDir(process.env, homedir())));
  return { paths, client: new ApiClient(paths.socket) };
}

/** The app a command acts on: `--app`, else the `name` of the manifest in the current folder (or the folder's name). */
export function resolveApp(opts: { app?: string | undefined }, cwd = process.cwd()): string {
  if (opts.app) return opts.app;
  const file = join(cwd, MANIFEST);
  if (existsSync(file)) {
    // A top-level `name:` line is all that is needed here; a full parse (and its libraries) would slow
    // every command. An unreadable manifest still names the app after its folder.
    try {
      const m = /^name:[ \t]*["']?([a-z][a-z0-9-]{0,39})["']?[ \t]*(?:#.*)?$/m.exec(readFileSync(file, 'utf8'));
      if (m) return m[1]!;
    } catch {
      // fall through
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
  return resolveApp(cmd.optsWithGlobals());
}
