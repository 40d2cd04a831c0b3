import type { RestartSpec } from '@nightshift/manifest';
import { backoffDelay } from './backoff.js';
import { nextQuickCrashes } from './crash-loop.js';

/**
 * The replica lifecycle (DESIGN §4) as a pure state machine.
 *
 * States and their exits:
 * - `pending`   — created, never started. `start` → starting.
 * - `starting`  — spawn requested. `spawned` → running; `spawn-failed` → backoff; `stop` → stopping.
 * - `running`   — the process lives. `exited` (any code, 0 included) → backoff; `stop` → stopping;
 *                 `unhealthy` (the probe gave up on it) → stopping with `restartWhenGone`.
 * - `backoff`   — crashed, waiting `retryAt`. `retry-due` → starting; `stop` → stopped.
 * - `failed`    — crashed `restart.max_restarts` times in a row: given up, nothing runs and nothing is
 *                 scheduled. `start` → starting (start, restart, deploy); `stop` → stopped.
 * - `stopping`  — SIGTERM sent to the group. `exited` → waits for the group; `group-gone` → stopped, or
 *                 backoff when `restartWhenGone` (an unhealthy restart: it counts in the streak like a crash);
 *                 `grace-expired` → SIGKILL to the group (stays stopping); `stop` clears `restartWhenGone`.
 * - `stopped`   — nothing runs. `start` → starting.
 *
 * The crash streak drives the backoff (base·2^streak, capped) and resets when the process had run for
 * `resetAfterMs` before it crashed.
 *
 * Every duration (`retryAt`, how long a run lasted) is measured on the monotonic clock; the wall clock only
 * stamps what is shown and stored (`startedAt`, `lastExit.at`), so a clock step can neither shorten nor
 * freeze a backoff. A timer that fires before `retryAt` (timers start from a cached loop time) re-arms for the
 * rest: a replica in backoff always has a retry pending.
 */
export type ReplicaStatus =
  'pending' | 'starting' | 'running' | 'backoff' | 'failed' | 'stopping' | 'stopped';

/**
 * Why a process ended, when the daemon knows better than the exit status: `oom` (the kernel killed it at its
 * cgroup's memory limit), `memory_limit` (the watchdog did, where limits are soft), `unhealthy` (its probe failed).
 */
export type ExitCause = 'oom' | 'memory_limit' | 'unhealthy';

export interface LastExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly at: number;
  readonly cause?: ExitCause | null;
}

/** One instant read from both clocks (see `Clock`). */
export interface Moment {
  readonly wall: number;
  readonly mono: number;
}

export interface ReplicaState {
  readonly status: ReplicaStatus;
  /** Consecutive crashes since the last healthy run. */
  readonly streak: number;
  /** Consecutive crashes (spawn failures included) that each ran under 10 s: a crash loop from 3 (crash-loop.ts). */
  readonly quickCrashes: number;
  /** Restarts after crashes, over the replica's life (what `ps` shows). */
  readonly restarts: number;
  /** Wall-clock start of the running process, for display. */
  readonly startedAt: number | null;
  /** Monotonic start of the running process: how long it ran. */
  readonly runningSince: number | null;
  /** Monotonic time of the next start while in backoff. */
  readonly retryAt: number | null;
  readonly lastExit: LastExit | null;
  /** While stopping: the leader already exited and we wait for the rest of the group. */
  readonly leaderExited: boolean;
  /** While stopping: the stop is a restart (unhealthy), so the group's end leads to backoff, not stopped. */
  readonly restartWhenGone?: boolean;
}

export type LifecycleEvent =
  | { readonly type: 'start' }
  | { readonly type: 'spawned' }
  | { readonly type: 'spawn-failed'; readonly error: string }
  | {
      readonly type: 'exited';
      readonly code: number | null;
      readonly signal: string | null;
      readonly cause?: ExitCause | null;
    }
  | { readonly type: 'unhealthy' }
  | { readonly type: 'retry-due' }
  | { readonly type: 'stop' }
  | { readonly type: 'grace-expired' }
  | { readonly type: 'group-gone' };

export type Effect =
  | { readonly type: 'spawn' }
  | { readonly type: 'signal-group'; readonly signal: 'SIGTERM' | 'SIGKILL' }
  /** `at` is monotonic. */
  | { readonly type: 'schedule'; readonly event: 'retry-due' | 'grace-expired'; readonly at: number }
  | { readonly type: 'watch-group' }
  | { readonly type: 'emit-started' }
  /** `restartInMs` null: the replica gave up (`failed`). */
  | { readonly type: 'emit-crashed'; readonly ranMs: number; readonly restartInMs: number | null }
  | { readonly type: 'emit-spawn-failed'; readonly error: string; readonly restartInMs: number | null }
  | { readonly type: 'emit-failed'; readonly crashes: number }
  | { readonly type: 'emit-stopped' };

export interface Transition {
  readonly state: ReplicaState;
  readonly effects: readonly Effect[];
}

export interface LifecyclePolicy {
  readonly restart: RestartSpec;
  readonly stopGraceMs: number;
}

export function initialState(restarts = 0): ReplicaState {
  return {
    status: 'pending',
    streak: 0,
    quickCrashes: 0,
    restarts,
    startedAt: null,
    runningSince: null,
    retryAt: null,
    lastExit: null,
    leaderExited: false,
  };
}

const same = (state: ReplicaState): Transition => ({ state, effects: [] });

export function transition(
  state: ReplicaState,
  event: LifecycleEvent,
  at: Moment,
  policy: LifecyclePolicy,
): Transition {
  const now = at.mono;
  switch (event.type) {
    case 'start':
      if (state.status === 'pending' || state.status === 'stopped' || state.status === 'failed') {
        return {
          state: {
            ...state,
            status: 'starting',
            streak: 0,
            quickCrashes: 0,
            retryAt: null,
            leaderExited: false,
          },
          effects: [{ type: 'spawn' }],
        };
      }
      return same(state);

    case 'spawned':
      if (state.status === 'starting') {
        return {
          state: { ...state, status: 'running', startedAt: at.wall, runningSince: now },
          effects: [{ type: 'emit-started' }],
        };
      }
      if (state.status === 'stopping') {
        // A stop arrived while the spawn was in flight: stop what just started.
        return {
          state: { ...state, startedAt: at.wall, runningSince: now },
          effects: [
            { type: 'signal-group', signal: 'SIGTERM' },
            { type: 'schedule', event: 'grace-expired', at: now + policy.stopGraceMs },
          ],
        };
      }
      return same(state);

    case 'spawn-failed': {
      if (state.status === 'stopping')
        return { state: { ...state, status: 'stopped' }, effects: [{ type: 'emit-stopped' }] };
      if (state.status !== 'starting') return same(state);
      const streak = state.streak + 1;
      const quickCrashes = nextQuickCrashes(state, 0);
      if (givesUp(streak, policy)) {
        return {
          state: {
            ...state,
            status: 'failed',
            streak,
            quickCrashes,
            retryAt: null,
            startedAt: null,
            runningSince: null,
          },
          effects: [
            { type: 'emit-spawn-failed', error: event.error, restartInMs: null },
            { type: 'emit-failed', crashes: streak },
          ],
        };
      }
      const delay = backoffDelay(state.streak, policy.restart);
      return {
        state: {
          ...state,
          status: 'backoff',
          streak,
          quickCrashes,
          retryAt: now + delay,
          startedAt: null,
          runningSince: null,
        },
        effects: [
          { type: 'emit-spawn-failed', error: event.error, restartInMs: delay },
          { type: 'schedule', event: 'retry-due', at: now + delay },
        ],
      };
    }

    case 'exited': {
      const cause = event.cause ?? (state.restartWhenGone ? 'unhealthy' : null);
      const lastExit = { code: event.code, signal: event.signal, at: at.wall, cause };
      if (state.status === 'stopping') {
        return { state: { ...state, lastExit, leaderExited: true }, effects: [{ type: 'watch-group' }] };
      }
      if (state.status !== 'running') return same(state);
      // Leftovers of a crashed replica's group (grandchildren) must not outlive it.
      return crash({ ...state, lastExit }, now, policy, [{ type: 'signal-group', signal: 'SIGKILL' }]);
    }

    case 'unhealthy':
      if (state.status !== 'running') return same(state);
      return {
        state: { ...state, status: 'stopping', leaderExited: false, restartWhenGone: true },
        effects: [
          { type: 'signal-group', signal: 'SIGTERM' },
          { type: 'schedule', event: 'grace-expired', at: now + policy.stopGraceMs },
        ],
      };

    case 'retry-due':
      if (state.status !== 'backoff' || state.retryAt === null) return same(state);
      // Early: dropping it would leave the replica in backoff with no timer, forever.
      if (now < state.retryAt) {
        return { state, effects: [{ type: 'schedule', event: 'retry-due', at: state.retryAt }] };
      }
      return {
        state: { ...state, status: 'starting', restarts: state.restarts + 1, retryAt: null },
        effects: [{ type: 'spawn' }],
      };

    case 'stop':
      switch (state.status) {
        case 'running':
          return {
            state: { ...state, status: 'stopping', leaderExited: false },
            effects: [
              { type: 'signal-group', signal: 'SIGTERM' },
              { type: 'schedule', event: 'grace-expired', at: now + policy.stopGraceMs },
            ],
          };
        case 'starting':
          return same({ ...state, status: 'stopping', leaderExited: false });
        case 'stopping':
          // A stop during an unhealthy restart: the replica stays down.
          return state.restartWhenGone ? same({ ...state, restartWhenGone: false }) : same(state);
        case 'backoff':
        case 'failed':
        case 'pending':
          return {
            state: { ...state, status: 'stopped', retryAt: null },
            effects: [{ type: 'emit-stopped' }],
          };
        default:
          return same(state);
      }

    case 'grace-expired':
      if (state.status !== 'stopping') return same(state);
      return { state, effects: [{ type: 'signal-group', signal: 'SIGKILL' }] };

    case 'group-gone':
      if (state.status !== 'stopping') return same(state);
      if (state.restartWhenGone) {
        const lastExit = state.lastExit ?? {
          code: null,
          signal: null,
          at: at.wall,
          cause: 'unhealthy' as const,
        };
        return crash({ ...state, lastExit, leaderExited: false, restartWhenGone: false }, now, policy, []);
      }
      return {
        state: { ...state, status: 'stopped', startedAt: null, runningSince: null, leaderExited: false },
        effects: [{ type: 'emit-stopped' }],
      };
  }
}

/**
 * A running process ended against the replica's will (crash, or an unhealthy restart once its group is gone):
 * backoff, with the streak reset when it had run for `resetAfterMs`.
 */
function crash(
  state: ReplicaState,
  now: number,
  policy: LifecyclePolicy,
  first: readonly Effect[],
): Transition {
  // Whole milliseconds: the monotonic clock has fractions, events and `ps` show ms.
  const ranMs = state.runningSince === null ? 0 : Math.max(0, Math.round(now - state.runningSince));
  const streak = ranMs >= policy.restart.resetAfterMs ? 0 : state.streak;
  const quickCrashes = nextQuickCrashes(state, ranMs);
  if (givesUp(streak + 1, policy)) {
    return {
      state: {
        ...state,
        status: 'failed',
        streak: streak + 1,
        quickCrashes,
        retryAt: null,
        startedAt: null,
        runningSince: null,
      },
      effects: [
        ...first,
        { type: 'emit-crashed', ranMs, restartInMs: null },
        { type: 'emit-failed', crashes: streak + 1 },
      ],
    };
  }
  const delay = backoffDelay(streak, policy.restart);
  return {
    state: {
      ...state,
      status: 'backoff',
      streak: streak + 1,
      quickCrashes,
      retryAt: now + delay,
      startedAt: null,
      runningSince: null,
    },
    effects: [
      ...first,
      { type: 'emit-crashed', ranMs, restartInMs: delay },
      { type: 'schedule', event: 'retry-due', at: now + delay },
    ],
  };
}

/** `restart.max_restarts` reached: `crashes` in a row is as many as the manifest allows before giving up. */
function givesUp(crashes: number, policy: LifecyclePolicy): boolean {
  const max = policy.restart.maxRestarts;
  // A release stored before the field has no `maxRestarts` at all: never give up, like null.
  return typeof max === 'number' && crashes >= max;
}
