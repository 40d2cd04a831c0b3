import type { RawMap } from './raw.js';

/** What every cross-field check is given. */
export interface CheckContext {
  readonly root: RawMap;
  readonly now: Date;
  /** The folder's name as given, for messages. */
  readonly defaultName: string | undefined;
  /** The app name made from it (`appNameFromFolder`); undefined when none could be. */
  readonly appName: string | undefined;
  /** The top-level `regions` entries that are text. */
  readonly regions: ReadonlySet<string>;
}
