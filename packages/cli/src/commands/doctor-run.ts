import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { defaultHomeDir, homeLayout } from '@nightshift/protocol';
import {
  cgroupsCheck,
  clockCheck,
  daemonCheck,
  diskCheck,
  exitStatus,
  homeCheck,
  nodeCheck,
  redisCheck,
  type CheckResult,
} from '../doctor/checks.js';
import { cgroupFacts, clockFacts, daemonFacts, diskFacts, homeFacts, redisFacts } from '../doctor/facts.js';
import { cliContext } from '../lib/context.js';
import { printJson } from '../output.js';

/** Every check, in the order they are printed; the slow ones (commands, a Redis) run side by side. */
export async function runChecks(): Promise<CheckResult[]> {
  const ctx = cliContext();
  const home = homeLayout(resolve(defaultHomeDir(process.env, homedir()))).home;
  const [daemon, redis, shellCgroups, disk, clock] = await Promise.all([
    daemonFacts(ctx),
    redisFacts(process.env),
    cgroupFacts(),
    diskFacts(home),
    clockFacts(),
  ]);
  // The running daemon's own view of cgroups is the one that counts (it may run under systemd, this shell not).
  const cgroups = daemon.limits ?? shellCgroups;
  return [
    nodeCheck(process.version),
    daemonCheck(daemon.state, ctx.paths.socket),
    homeCheck(homeFacts(home)),
    redisCheck(redis),
    cgroups === null
      ? {
          check: 'cgroups',
          status: 'unknown',
          detail: 'could not be read',
          fix: 'start the daemon and run doctor again',
        }
      : cgroupsCheck(cgroups),
    diskCheck(disk.path, disk.free, disk.total),
    clockCheck(clock),
  ];
}

const MARK = { ok: 'ok     ', warn: 'warn   ', fail: 'FAIL   ', unknown: 'unknown' } as const;

export async function runDoctor(json: boolean): Promise<number> {
  const results = await runChecks();
  if (json) printJson(results);
  else {
    for (const r of results) {
      process.stdout.write(`${MARK[r.status]}  ${r.check.padEnd(8)} ${r.detail}\n`);
      if (r.fix && r.status !== 'ok') process.stdout.write(`${' '.repeat(18)}fix: ${r.fix}\n`);
    }
  }
  return exitStatus(results);
}
