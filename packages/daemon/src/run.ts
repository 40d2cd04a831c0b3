import { createRequire } from 'node:module';
import { isCodedError } from '@nightshift/protocol';
import { type DaemonFlags, parseDaemonConfig } from './config.js';
import { reexecWithFlags } from './flags.js';
import { startDaemon, type RunningDaemon } from './main.js';

// SIGHUP too: a foreground daemon whose terminal closes would otherwise die at once and leave its replicas
// running unsupervised until the next daemon reaps them.
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/**
 * `nightshift daemon`: runs in the foreground until SIGTERM, SIGINT or SIGHUP, or `daemon stop`.
 * Returns the exit status: 0 after a clean stop, 1 when it could not start.
 */
export async function runDaemon(flags: DaemonFlags): Promise<number> {
  reexecWithFlags();
  exposeGc();
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  // Signals are taken from the start: one that arrives while the daemon is still starting (reaping, restoring
  // apps) is held and stops it once it has started, instead of killing it with half its replicas spawned.
  let daemon: RunningDaemon | undefined;
  let stopAsked = false;
  const handler = () => (daemon ? void daemon.stop() : (stopAsked = true));
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  // The process lives until the daemon has stopped. Its waits (a reaped group's grace, polls of /proc) use
  // unref'd timers, and while it reaps at start nothing else holds the event loop: Node then exited mid-start
  // with status 13 (an unsettled top-level await), seen once in CI as a daemon gone during its reaping.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    daemon = await startDaemon(parseDaemonConfig(process.env, flags), log);
  } catch (err) {
    clearInterval(keepAlive);
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
    if (isCodedError(err)) {
      process.stderr.write(`error ${err.code}: ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ''}`);
    } else {
      process.stderr.write(`error NS_DAEMON_START_FAILED: ${(err as Error).stack ?? String(err)}\n`);
    }
    return 1;
  }
  log(
    `daemon ${daemon.info.pid} listening (home ${daemon.info.home}, http 127.0.0.1:${daemon.info.httpPort})`,
  );
  if (stopAsked) void daemon.stop();
  await daemon.stopped;
  clearInterval(keepAlive);
  for (const signal of STOP_SIGNALS) process.off(signal, handler);
  log('daemon stopped');
  return 0;
}

/**
 * The log pipeline frees pipe read buffers early when it can call the collector (see logs/options.ts);
 * without it a burst of output leaves the daemon larger for good. Enabled here so that `nightshift daemon`
 * needs no node flag, under systemd as from the CLI. `nightshift daemon` starts with --expose-gc already; only
 * an embedder calling runDaemon() pays for node:v8, node:vm and the extra context here.
 */
function exposeGc(): void {
  if (typeof globalThis.gc === 'function') return;
  const require = createRequire(import.meta.url);
  (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--expose-gc');
  globalThis.gc = (require('node:vm') as typeof import('node:vm')).runInNewContext(
    'gc',
  ) as typeof globalThis.gc;
}
