import type { Router } from '../http/router.js';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { ApiServices } from '../services.js';
import { readJson } from '../validate.js';

/**
 * One-off commands (`nightshift run`). The CLI, as the local admin on the Unix socket, gets the live
 * release's folder and the process type's environment, runs the command itself with the terminal
 * attached, and reports how it ended; both ends are events.
 */
export function runRoutes(r: Router, s: ApiServices): void {
  r.post('/apps/:app/run', async (c) => {
    const app = c.param('app');
    const body = await readJson<{ process?: string; argv: string[] }>(
      c,
      (b) =>
        Array.isArray(b.argv) &&
        b.argv.length > 0 &&
        (b.process === undefined || typeof b.process === 'string'),
      '{ "argv": ["sh", "-c", "env"], "process": "emails" }',
    );
    const release = s.supervisor.liveRelease(app);
    if (!release) {
      throw new NightshiftError(
        ErrorCodes.noRelease,
        `app "${app}" has no live release to run in`,
        'deploy it first with `nightshift up`',
      );
    }
    if (body.process !== undefined) s.supervisor.processSpec(app, body.process);
    const env = s.oneOffEnv(release, body.process ?? null);
    s.bus.emit({
      type: 'run:started',
      app,
      ...(body.process ? { process: body.process } : {}),
      message: `one-off \`${body.argv.join(' ')}\` started on v${release.version}`,
      data: { argv: body.argv, release: `v${release.version}` },
    });
    return c.json({ cwd: release.path, env, release: `v${release.version}` });
  });

  r.post('/apps/:app/run/finished', async (c) => {
    const app = c.param('app');
    const body = await readJson<{
      argv: string[];
      release: string;
      exitCode: number | null;
      signal: string | null;
      durationMs: number;
    }>(
      c,
      (b) => Array.isArray(b.argv) && typeof b.release === 'string' && typeof b.durationMs === 'number',
      '{ "argv": ["env"], "release": "v3", "exitCode": 0, "signal": null, "durationMs": 12 }',
    );
    s.bus.emit({
      type: 'run:finished',
      app,
      message: `one-off \`${body.argv.join(' ')}\` ended with ${body.signal ?? `exit code ${body.exitCode}`} after ${body.durationMs} ms`,
      data: {
        argv: body.argv,
        release: body.release,
        exitCode: body.exitCode ?? null,
        signal: body.signal ?? null,
        durationMs: body.durationMs,
      },
    });
    return c.json({ recorded: true });
  });
}
