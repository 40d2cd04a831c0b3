import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { appNameFromFolder } from '@nightshift/manifest/names';
import {
  defaultHomeDir,
  ErrorCodes,
  homeLayout,
  NightshiftError,
  type HomeLayout,
} from '@nightshift/protocol';
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

/**
 * The app a command acts on: `--app`, else the `name` of the manifest in the current folder, else the name the
 * manifest package makes from the folder's (`My_Shop` → `my-shop`), as the daemon does when it deploys it.
 */
export function resolveApp(opts: { app?: string | undefined }, cwd = process.cwd()): string {
  if (opts.app) return opts.app;
  const file = join(cwd, MANIFEST);
  if (existsSync(file)) {
    // A top-level `name:` line is all that is needed here; a full parse (and its libraries) would slow
    // every command. An unreadable manifest still names the app after its folder.
    try {
      const m = /^name:[ \t]*["']?([a-z][a-z0-9-]{0,39})["']?[ \t]*(?:#.*)?$/m.exec(
        readFileSync(file, 'utf8'),
      );
      if (m) return m[1]!;
    } catch {
      // fall through
    }
    const derived = appNameFromFolder(basename(cwd));
    if (derived !== null) return derived;
    throw new NightshiftError(
      ErrorCodes.appUnspecified,
      `${MANIFEST} has no \`name\` and the folder name "${basename(cwd)}" has no letter to start one with`,
      `add \`name: <app>\` to ${MANIFEST}, or pass --app NAME`,
    );
  }
  throw new NightshiftError(
    ErrorCodes.appUnspecified,
    `no app given and no ${MANIFEST} in ${cwd}`,
    "pass --app NAME, or run the command in the app's folder",
  );
}

/** The app of a command, from the global `--app` or the current folder. */
export function appOf(cmd: { optsWithGlobals(): object }): string {
  return resolveApp(cmd.optsWithGlobals());
}
