import { api } from '@nightshift/protocol';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DaemonInfo } from '@nightshift/protocol';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { CliError } from '../output.js';
import type { CliContext } from './context.js';

const BIN = fileURLToPath(new URL('../../bin/nightshift.js', import.meta.url));
const START_TIMEOUT_MS = 20_000;

/**
 * Returns the running daemon's info, starting one in the background first when none answers. Two CLIs
 * racing here both spawn a daemon; the home's lock lets one win and the other exit, and both CLIs then
 * talk to the winner.
 */
export async function ensureDaemon(ctx: CliContext): Promise<{ info: DaemonInfo; started: boolean }> {
  try {
    return { info: await ctx.client.call(api.daemonInfo, {}), started: false };
  } catch (err) {
    if ((err as { code?: string }).code !== ErrorCodes.daemonNotRunning) throw err;
  }
  mkdirSync(ctx.paths.home, { recursive: true, mode: 0o700 });
  const logFd = openSync(ctx.paths.log, 'a', 0o600);
  const logFrom = fstatSync(logFd).size;
  // Loaded here, not at the top: commands that only talk to a running daemon need no node:child_process.
  const { spawn } = process.getBuiltinModule('node:child_process');
  const child = spawn(process.execPath, [BIN, 'daemon'], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: process.env,
  });
  closeSync(logFd);
  child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      return { info: await ctx.client.call(api.daemonInfo, {}), started: true };
    } catch {
      // A daemon that refused to start says why in its log: say it now rather than after the timeout. One
      // that lost the race to another CLI's daemon exits too; that one will answer.
      const said = exited ? readFileSync(ctx.paths.log, 'utf8').slice(logFrom).trim() : '';
      if (said && !said.includes(ErrorCodes.daemonAlreadyRunning)) throw startError(said, ctx.paths.log);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new NightshiftError(
    ErrorCodes.daemonStartFailed,
    `the daemon did not answer within ${START_TIMEOUT_MS / 1000} s`,
    `read its log: ${ctx.paths.log}`,
  );
}

/**
 * What a daemon that exited at start said, as `NS_DAEMON_START_FAILED` carrying its last `error CODE: message`
 * line and the `hint:` under it (runDaemon writes them so): `up` shows the cause and the fix rather than the
 * whole log. The exit status stays 1 whatever the daemon's code: the command line of `up` was not at fault.
 */
function startError(said: string, logPath: string): CliError {
  const lines = said.split('\n');
  let at = -1;
  for (let i = lines.length - 1; i >= 0 && at < 0; i--) if (/^error NS_[A-Z0-9_]+: /.test(lines[i]!)) at = i;
  if (at < 0) {
    return new CliError(
      ErrorCodes.daemonStartFailed,
      `the daemon could not start:\n${said}`,
      `fix what it says and run the command again (the daemon's log: ${logPath})`,
    );
  }
  const cause = lines[at]!.slice('error '.length);
  const hint = /^\s*hint: (.*)$/.exec(lines[at + 1] ?? '')?.[1] ?? `read the daemon's log: ${logPath}`;
  return new CliError(ErrorCodes.daemonStartFailed, `the daemon could not start: ${cause}`, hint);
}

/**
 * Asks the daemon to stop and waits until its process is gone. Its socket closes before it releases the home's
 * lock, so waiting for the socket alone let a daemon started right after find the lock still held.
 */
export async function stopDaemon(ctx: CliContext, timeoutMs: number): Promise<boolean> {
  let pid: number;
  try {
    pid = (await ctx.client.call(api.daemonInfo, {})).pid;
    await ctx.client.call(api.daemonStop, {});
  } catch (err) {
    if ((err as { code?: string }).code === ErrorCodes.daemonNotRunning) return false;
    throw err;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processExists(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new NightshiftError(
    ErrorCodes.internal,
    `the daemon did not stop within ${timeoutMs / 1000} s`,
    'its replicas may need longer than their stop_grace; check `nightshift ps`',
  );
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but is not ours (a pid reused by another user's process).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
