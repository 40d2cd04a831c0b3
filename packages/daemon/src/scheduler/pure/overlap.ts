import type { OverlapPolicy } from '@nightshift/manifest';

/** The runs of a job that hold the overlap lock, as the run table says inside the claim's transaction. */
export interface ActiveRuns {
  /** Ids of runs that are running. */
  readonly running: readonly number[];
  /** The one run waiting to start (queue_one, or the successor of a replaced run), if any. */
  readonly queued: number | null;
}

/** What to do with a slot or a manual request. */
export type Decision =
  /** Start a run now. */
  | { readonly kind: 'start' }
  /** Record the slot as skipped (a row with this reason and an event); the cursor still advances. */
  | { readonly kind: 'skip'; readonly reason: 'overlap' | 'suspended' }
  /** Manual request turned down; nothing is recorded but an event. */
  | { readonly kind: 'refuse'; readonly reason: 'overlap' | 'queued' }
  /** Insert a queued run that starts when the running ones have ended. */
  | { readonly kind: 'queue' }
  /** Fold the slot into the run already queued: it now stands for this newer slot too. */
  | { readonly kind: 'merge'; readonly into: number }
  /** Stop these runs (they end `cancelled`) and queue the new one behind them. */
  | { readonly kind: 'replace'; readonly cancel: readonly number[] };

/** Inputs of the slot rule, read inside the claim transaction. */
export interface SlotRequest {
  readonly policy: OverlapPolicy;
  readonly suspended: boolean;
  readonly active: ActiveRuns;
}

/**
 * The overlap rule for a scheduled slot (DESIGN §5). `forbid` skips while anything runs; `queue_one` keeps one
 * pending run and folds later slots into it; `replace` stops the running run and queues the new one behind it;
 * `allow` always starts. A suspended job records every slot as skipped.
 */
export function decideSlot(req: SlotRequest): Decision {
  if (req.suspended) return { kind: 'skip', reason: 'suspended' };
  const { running, queued } = req.active;
  if (req.policy === 'allow') return { kind: 'start' };
  if (running.length === 0 && queued === null) return { kind: 'start' };
  switch (req.policy) {
    case 'forbid':
      return { kind: 'skip', reason: 'overlap' };
    case 'queue_one':
      return queued === null ? { kind: 'queue' } : { kind: 'merge', into: queued };
    case 'replace':
      // A successor already waits for the old run to stop: the newer slot joins it instead of queueing a third.
      return queued === null ? { kind: 'replace', cancel: running } : { kind: 'merge', into: queued };
  }
}

/** Inputs of the Run now rule. */
export interface ManualRequest {
  readonly policy: OverlapPolicy;
  /** `--force`: start at once whatever runs. */
  readonly force: boolean;
  readonly active: ActiveRuns;
}

/**
 * The overlap rule for "Run now": the same policy as slots, except that a request that would be skipped or
 * folded into a queued run is refused (the user is told, and can `--force`), and suspension does not apply.
 */
export function decideManual(req: ManualRequest): Decision {
  if (req.force || req.policy === 'allow') return { kind: 'start' };
  const { running, queued } = req.active;
  if (queued !== null) return { kind: 'refuse', reason: 'queued' };
  if (running.length === 0) return { kind: 'start' };
  switch (req.policy) {
    case 'forbid':
      return { kind: 'refuse', reason: 'overlap' };
    case 'queue_one':
      return { kind: 'queue' };
    case 'replace':
      return { kind: 'replace', cancel: running };
  }
}
