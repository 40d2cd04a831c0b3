import type { RawMap } from './raw.js';

/** What every cross-field check is given. */
export interface CheckContext {
  readonly root: RawMap;
  readonly now: Date;
  readonly defaultName: string | undefined;
  /** The top-level `regions` entries that are text. */
  readonly regions: ReadonlySet<string>;
}
