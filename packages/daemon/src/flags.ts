/**
 * The V8 flags the daemon runs with, and the one re-execution that applies them (V8 reads flags only at
 * start). A small young generation keeps the daemon's memory low and flat through crash loops and redeploys;
 * `--expose-gc` lets the log pipeline and the compactor give memory back after bursts. docs/architecture.md
 * has the measurements, and why the other flags once used here were dropped.
 */
export const DAEMON_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--expose-gc'];

/**
 * Environment the daemon's process starts with, unless the operator set the variable. glibc gives every thread
 * that allocates its own malloc arena; the daemon's JS runs on one thread, so two arenas are plenty, and the
 * pages the others kept were what held it over its memory target (docs/architecture.md). Read by glibc at exec,
 * so it takes the same re-execution as the flags. User processes do not inherit it (their environment is built).
 */
export const DAEMON_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** The daemon's environment: the variables of DAEMON_ENV the operator did not set, added to `env`. */
export function withDaemonEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const [name, value] of Object.entries(DAEMON_ENV)) out[name] ??= value;
  return out;
}

/**
 * The flags this Node accepts. `node` exits 9 at once on a V8 flag it does not know, before the daemon could
 * say why; a flag a future Node drops is skipped instead, and the daemon starts without it.
 */
export function acceptedFlags(flags: readonly string[], accepted: ReadonlySet<string>): string[] {
  return flags.filter((flag) => accepted.has(flag.split('=')[0]!));
}

/**
 * Starts this process again with the daemon's flags and environment when it runs without them: same pid, so
 * systemd and `up` see no difference. Returns only when there is nothing to do (both are there, or this Node
 * cannot execve), and the daemon then runs as it is.
 */
export function reexecWithFlags(): void {
  const missing = acceptedFlags(DAEMON_FLAGS, process.allowedNodeEnvironmentFlags).filter(
    (flag) => !process.execArgv.includes(flag),
  );
  const envMissing = Object.keys(DAEMON_ENV).some((name) => process.env[name] === undefined);
  if ((missing.length === 0 && !envMissing) || typeof process.execve !== 'function') return;
  process.execve(
    process.execPath,
    [process.execPath, ...process.execArgv, ...missing, ...process.argv.slice(1)],
    withDaemonEnv(process.env),
  );
}
