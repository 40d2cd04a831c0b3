import type { Readable } from 'node:stream';

/** What to run: an argv in a folder with exactly this environment (nothing inherited). */
export interface SpawnSpec {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /**
   * A program that sets the process up and then execs `argv` in its place (a cgroup join). The command is
   * still looked up first, so a missing program fails the spawn as it would without a launcher.
   */
  readonly launcher?: readonly string[] | undefined;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: string | null;
}

/** A started process group; `pid` is also the group id. */
export interface ProcessHandle {
  readonly pid: number;
  /** Start time from the OS (opaque), to tell this process from a later one with a reused pid. */
  readonly procStart: string;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Settles when the group leader exits. */
  readonly exited: Promise<ExitStatus>;
}

/**
 * How the supervisor starts and stops processes. The local driver runs each replica as its own process
 * group on this machine; the interface is narrow so another driver can stand in.
 */
export interface ProcessDriver {
  /** Throws (with a catalogued code) when the process cannot be started at all. */
  spawn(spec: SpawnSpec): Promise<ProcessHandle>;
  /** Sends a signal to the whole group; false when the group is already gone. */
  signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean;
  /** True while any process of the group lives. */
  groupAlive(pgid: number): boolean;
  /** The OS start time of `pid`, or null when there is no such process. */
  procStartOf(pid: number): string | null;
  /** Pids of every process in the group (for reaping after a daemon restart). */
  groupMembers(pgid: number): number[];
}
