import type { AppSpec } from '@nightshift/manifest';
import { ErrorCodes, isCodedError, NightshiftError, type VarsChangeResponse } from '@nightshift/protocol';
import type { EventBus } from '../events/index.js';
import * as store from '../store/index.js';
import type { StagedChanges, StagedKind } from './staged.js';

/** What applying a change needs: the store, the bus, the live releases, the rolling restart, the staged set. */
export interface ChangeContext {
  readonly db: store.Db;
  readonly bus: EventBus;
  readonly liveSpec: (app: string) => AppSpec | null;
  readonly restart: (app: string) => Promise<void>;
  readonly staged: StagedChanges;
  /**
   * Throws (NS_ENV_TOO_LARGE) when the live release's processes could no longer be started with the app's
   * vars and secrets as stored now. Called inside a write's transaction: a refused write stores nothing.
   */
  readonly checkEnvironment: (app: string) => void;
}

/** One write to an app's config vars or secrets, already stored. */
export interface Change {
  readonly app: string;
  readonly kind: StagedKind;
  readonly action: 'set' | 'removed' | 'unset';
  readonly names: string[];
  /** The names a running process of the app receives (a secret only when its manifest lists it). */
  readonly injected: readonly string[];
  /** false: `--no-restart`. */
  readonly restart: boolean;
  readonly warnings: string[];
}

/**
 * After a write: restart the processes (rolling) when the change reaches them, or stage it; one event names
 * what changed (never a value). The event goes out before the restart, which can take a while; a
 * `process:restarted` follows once every replica runs with the new values.
 */
export async function applyChange(ctx: ChangeContext, change: Change): Promise<VarsChangeResponse> {
  const { app, kind, action, names, injected, warnings } = change;
  const running = ctx.liveSpec(app) !== null;
  if (!running && store.getApp(ctx.db, app) === null) {
    warnings.push(
      `no app ${app} has been deployed on this daemon yet: the change applies at its first deploy (check the name if that is unexpected)`,
    );
  }
  const outcome: VarsChangeResponse['restart'] = !running
    ? 'not-running'
    : injected.length === 0
      ? 'not-injected'
      : change.restart
        ? 'rolling'
        : 'staged';
  if (outcome === 'staged') ctx.staged.add(app, kind, injected);
  const what =
    kind === 'secret'
      ? `secret${names.length === 1 ? '' : 's'}`
      : `config var${names.length === 1 ? '' : 's'}`;
  const tail = {
    rolling: 'restarting processes',
    staged: 'staged until the next deploy or restart',
    'not-running': 'applies at the first deploy',
    'not-injected': 'no process receives it',
  }[outcome];
  const message = `${what} ${names.join(', ')} ${action}; ${tail}`;
  if (kind === 'secret') {
    const data = {
      names,
      action: action === 'set' ? ('set' as const) : ('removed' as const),
      restart: outcome,
    };
    ctx.bus.emit({ type: 'secrets:changed', app, message, data });
  } else {
    const data = {
      names,
      action: action === 'set' ? ('set' as const) : ('unset' as const),
      restart: outcome,
    };
    ctx.bus.emit({ type: 'config:changed', app, message, data });
  }
  if (outcome === 'rolling') {
    const before = ctx.staged.snapshot(app);
    try {
      await ctx.restart(app);
    } catch (err) {
      // Stored, and running on some replicas: the error says so before what stopped the restart.
      if (!isCodedError(err)) throw err;
      throw new NightshiftError(
        err.code,
        `${what} ${names.join(', ')} ${action}, but the restart did not finish: ${err.message}`,
        err.hint,
        { cause: err },
      );
    }
    ctx.staged.clear(app, before);
    ctx.bus.emit({
      type: 'process:restarted',
      app,
      message: `all processes restarted (${what} changed)`,
      data: {},
    });
  }
  return { app, names, restart: outcome, warnings };
}

/** `staged` until the app's processes run with the current value (always, while the app runs nothing). */
export function statusOf(
  staged: StagedChanges,
  app: string,
  kind: StagedKind,
  spec: AppSpec | null,
  name: string,
): 'deployed' | 'staged' {
  return spec === null || staged.has(app, kind, name) ? 'staged' : 'deployed';
}

/** The error for a name that would be both a secret and a config var. */
export function conflict(
  app: string,
  names: readonly string[],
  setting: 'secret' | 'config',
): NightshiftError {
  const list = names.join(', ');
  return new NightshiftError(
    ErrorCodes.secretConfigConflict,
    `${list} of ${app} would be both a secret and a config var`,
    setting === 'secret'
      ? `keep each name in one place: \`nightshift config unset ${list}\` first to make it a secret`
      : `keep each name in one place: remove it from the secrets (\`nightshift secrets rm\`, and from the manifest's \`secrets:\`) to make it a plain config var`,
  );
}
