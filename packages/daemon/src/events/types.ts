/**
 * Every lifecycle moment the daemon knows about, by name. The timeline (events table), the log of the daemon
 * and later the metrics subscribe to these instead of logging ad hoc.
 */
export interface EventMap {
  'daemon:started': { pid: number; reaped: number };
  'daemon:stopping': Record<string, never>;
  'deploy:started': { release: string; source: string };
  'deploy:finished': { release: string; previous: string | null };
  'deploy:failed': { release: string; reason: string; logTail: string[] };
  rollback: { release: string; previous: string };
  'run:started': { argv: string[]; release: string };
  'run:finished': { argv: string[]; release: string; exitCode: number | null; signal: string | null; durationMs: number };
  'replica:started': { release: string; pid: number };
  'replica:crashed': {
    code: number | null;
    signal: string | null;
    cause: string | null;
    ranMs: number;
    restartInMs: number;
    lastLines: string[];
  };
  'replica:spawn-failed': { error: string; restartInMs: number };
  'replica:stopped': { code: number | null; signal: string | null; killed: boolean };
  'replica:reaped': { pid: number };
  'process:scaled': { from: number; to: number };
  'process:stopped': Record<string, never>;
  'process:started': Record<string, never>;
  'process:restarted': Record<string, never>;
  'app:destroyed': Record<string, never>;
  /** Names only, never values; `restart` says what happened to the processes (see VarsChangeResponse). */
  'secrets:changed': { names: string[]; action: 'set' | 'removed'; restart: EnvChangeRestart };
  'config:changed': { names: string[]; action: 'set' | 'unset'; restart: EnvChangeRestart };
  /** Fingerprints are derived one way from the keys; they name a key without revealing it. */
  'secrets:key-rotated': { secrets: number; fingerprint: string; previous: string };
}

/** What a config or secret change did to the app's processes. */
export type EnvChangeRestart = 'rolling' | 'staged' | 'not-running' | 'not-injected';

export type EventType = keyof EventMap;

/** One emitted event: who it concerns, a human sentence, and typed data. */
export interface DaemonEvent<T extends EventType = EventType> {
  readonly type: T;
  readonly app: string;
  readonly process?: string;
  readonly replica?: string;
  readonly message: string;
  readonly data: EventMap[T];
}
