import { cursorOnChange } from './slots.js';

/** A job as the store remembers it between deploys. */
export interface KnownJob {
  readonly name: string;
  readonly schedule: string;
  /** The command as written, to recognise a renamed job. */
  readonly command: string;
  readonly cursor: number;
  /** False once the job left the manifest (its history is kept). */
  readonly enabled: boolean;
}

/** A job as the live release's manifest declares it. */
export interface DeclaredJob {
  readonly name: string;
  readonly schedule: string;
  readonly command: string;
}

/** One change to the stored jobs; the shell applies them in one transaction and emits one event each. */
export type SyncAction =
  | {
      readonly kind: 'add';
      readonly job: DeclaredJob;
      readonly cursor: number;
      readonly renamedFrom: string | null;
    }
  | { readonly kind: 'change'; readonly job: DeclaredJob; readonly from: string; readonly cursor: number }
  | { readonly kind: 'revive'; readonly job: DeclaredJob; readonly cursor: number }
  | { readonly kind: 'command'; readonly job: DeclaredJob }
  | { readonly kind: 'remove'; readonly name: string };

/**
 * Brings the stored jobs in line with a release's manifest (research §3.3 P4): a new job and a changed schedule
 * start at now, so nothing fires retroactively; a job back in the manifest after a while also starts at now;
 * a job gone from the manifest is disabled, not deleted (its runs stay in the history). The name is a job's
 * identity: a job that disappears while another with the same command appears is reported as a rename, but it
 * is a new job all the same.
 */
export function planSync(
  known: readonly KnownJob[],
  declared: readonly DeclaredJob[],
  now: number,
): SyncAction[] {
  const byName = new Map(known.map((k) => [k.name, k]));
  const declaredNames = new Set(declared.map((d) => d.name));
  const leaving = known.filter((k) => k.enabled && !declaredNames.has(k.name));
  const claimed = new Set<string>();
  const actions: SyncAction[] = [];
  for (const job of declared) {
    const stored = byName.get(job.name);
    if (!stored) {
      const old = leaving.find((k) => k.command === job.command && !claimed.has(k.name));
      if (old) claimed.add(old.name);
      actions.push({ kind: 'add', job, cursor: cursorOnChange(null, now), renamedFrom: old?.name ?? null });
    } else if (!stored.enabled) {
      actions.push({ kind: 'revive', job, cursor: cursorOnChange(stored.cursor, now) });
    } else if (stored.schedule !== job.schedule) {
      actions.push({
        kind: 'change',
        job,
        from: stored.schedule,
        cursor: cursorOnChange(stored.cursor, now),
      });
    } else if (stored.command !== job.command) {
      actions.push({ kind: 'command', job });
    }
  }
  for (const k of leaving) actions.push({ kind: 'remove', name: k.name });
  return actions;
}
