/**
 * Which stored log files retention removes: a function of what is on disk, the rules and `now` (PURE).
 *
 * Per app, segments whose newest line is older than `maxAgeMs` go; then, while the app holds more than
 * `retainBytes`, its oldest segment goes. Across apps, while all of them together hold more than the total
 * cap, the oldest segment of any app goes. The file a process is writing is counted but never removed, so an
 * app holds at most its `retainBytes` plus what its current files gained since the last pass (one segment per
 * process type at most, since a pass follows every rotation).
 */

/** One file of an app's logs folder. */
export interface StoredFile {
  readonly app: string;
  readonly path: string;
  readonly bytes: number;
  /** When it was last written (ms): for a segment, the time of its newest line. */
  readonly newestMs: number;
  /** Rotated segments (plain or compressed) can be removed; the current files and the id reservation cannot. */
  readonly removable: boolean;
  /** Breaks ties between segments written in the same millisecond: the rotation generation. */
  readonly order: number;
}

export interface RetentionRule {
  readonly retainBytes: number;
  /** null: no age limit. */
  readonly maxAgeMs: number | null;
}

/** The paths to remove, oldest first. */
export function planRemovals(
  files: readonly StoredFile[],
  ruleOf: (app: string) => RetentionRule,
  totalCapBytes: number | null,
  now: number,
): string[] {
  const removed: string[] = [];
  const kept: StoredFile[] = [];
  const byApp = new Map<string, StoredFile[]>();
  for (const file of files) {
    let list = byApp.get(file.app);
    if (list === undefined) byApp.set(file.app, (list = []));
    list.push(file);
  }
  for (const [app, appFiles] of byApp) {
    const rule = ruleOf(app);
    let held = appFiles.reduce((sum, file) => sum + file.bytes, 0);
    const oldestFirst = appFiles.filter((file) => file.removable).sort(older);
    const remaining = appFiles.filter((file) => !file.removable);
    for (const file of oldestFirst) {
      const tooOld = rule.maxAgeMs !== null && file.newestMs < now - rule.maxAgeMs;
      if (tooOld || held > rule.retainBytes) {
        removed.push(file.path);
        held -= file.bytes;
      } else remaining.push(file);
    }
    kept.push(...remaining);
  }
  if (totalCapBytes !== null) {
    let total = kept.reduce((sum, file) => sum + file.bytes, 0);
    for (const file of kept.filter((f) => f.removable).sort(older)) {
      if (total <= totalCapBytes) break;
      removed.push(file.path);
      total -= file.bytes;
    }
  }
  return removed;
}

function older(a: StoredFile, b: StoredFile): number {
  return a.newestMs - b.newestMs || a.order - b.order;
}
