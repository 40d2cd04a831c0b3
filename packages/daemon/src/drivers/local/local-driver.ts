import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { ExitStatus, ProcessDriver, ProcessHandle, SpawnSpec } from '../driver.js';
import { processesInGroup, readProcStat } from './proc.js';

/**
 * Runs each process as the leader of its own process group (`detached`), so that stop and kill reach
 * `sh -c` wrappers and grandchildren too, and so that replicas outlive a daemon crash and can be reaped
 * by the next incarnation.
 */
export function createLocalDriver(): ProcessDriver {
  return {
    spawn: spawnGroup,
    signalGroup(pgid, signal) {
      try {
        process.kill(-pgid, signal);
        return true;
      } catch {
        return false;
      }
    },
    groupAlive(pgid) {
      // kill(-pgid, 0) also succeeds for zombies; only count processes that still run.
      try {
        process.kill(-pgid, 0);
      } catch {
        return false;
      }
      try {
        return processesInGroup(pgid).length > 0;
      } catch {
        // kill found the group and /proc could not be listed (out of file descriptors): alive, asked again at
        // the next poll. Its callers poll from timers, where a throw would end the daemon.
        return true;
      }
    },
    procStartOf(pid) {
      return readProcStat(pid)?.startTime ?? null;
    },
    groupMembers: processesInGroup,
  };
}

function spawnError(spec: SpawnSpec, err: Error): NightshiftError {
  return new NightshiftError(
    ErrorCodes.spawnFailed,
    `cannot start \`${spec.argv.join(' ')}\`: ${err.message}`,
    "check the command and that it exists in the release (PATH is the daemon's PATH)",
    { cause: err },
  );
}

/**
 * What exec would say about `file` (looked up on PATH unless it has a slash), worded as spawn's own error;
 * null when it can be run. Only needed with a launcher, which would otherwise report it as an exit code.
 */
function missingProgram(file: string, cwd: string, path: string | undefined): Error | null {
  const candidates = file.includes('/')
    ? [resolvePath(cwd, file)]
    : (path ?? '').split(':').map((dir) => resolvePath(cwd, dir || '.', file));
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return null;
    } catch {
      // Not here, or not executable: another directory of PATH may have it.
    }
  }
  const err: NodeJS.ErrnoException = new Error(`spawn ${file} ENOENT`);
  err.code = 'ENOENT';
  return err;
}

function spawnGroup(spec: SpawnSpec): Promise<ProcessHandle> {
  const [file] = spec.argv;
  if (!file)
    return Promise.reject(
      new NightshiftError(ErrorCodes.badRequest, 'empty command', 'set `start` or `command`'),
    );
  if (spec.launcher?.length) {
    const missing = missingProgram(file, spec.cwd, spec.env.PATH ?? process.env.PATH);
    if (missing) return Promise.reject(spawnError(spec, missing));
  }
  const argv = spec.launcher?.length ? [...spec.launcher, ...spec.argv] : spec.argv;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: spec.cwd,
      env: { ...spec.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<ExitStatus>((res) => {
      // `on`: exit comes once; a once-wrapper per replica is memory held for nothing at 2,000 replicas.
      child.on('exit', (code, signal) => res({ code, signal }));
    });
    // Stays after the spawn: a later error (a failed kill) must not be thrown as unhandled, and the promise
    // is settled by then, so the reject is a no-op.
    child.on('error', (err) => reject(spawnError(spec, err)));
    child.once('spawn', () => {
      const pid = child.pid!;
      resolve({
        pid,
        procStart: readProcStat(pid)?.startTime ?? '',
        stdout: child.stdout,
        stderr: child.stderr,
        exited,
      });
    });
  });
}
