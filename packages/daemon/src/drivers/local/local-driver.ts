import { spawn } from 'node:child_process';
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
      return processesInGroup(pgid).length > 0;
    },
    procStartOf(pid) {
      return readProcStat(pid)?.startTime ?? null;
    },
    groupMembers: processesInGroup,
  };
}

function spawnGroup(spec: SpawnSpec): Promise<ProcessHandle> {
  const [file, ...args] = spec.argv;
  if (!file)
    return Promise.reject(
      new NightshiftError(ErrorCodes.badRequest, 'empty command', 'set `start` or `command`'),
    );
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: spec.cwd,
      env: { ...spec.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<ExitStatus>((res) => {
      child.once('exit', (code, signal) => res({ code, signal }));
    });
    child.once('error', (err) => {
      reject(
        new NightshiftError(
          ErrorCodes.spawnFailed,
          `cannot start \`${spec.argv.join(' ')}\`: ${err.message}`,
          "check the command and that it exists in the release (PATH is the daemon's PATH)",
          { cause: err },
        ),
      );
    });
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
