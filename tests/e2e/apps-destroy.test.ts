import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, Sandbox, waitFor } from './helpers.js';

const IDLE = `workers:
  - name: idle
    start: sleep 10000
    replicas: 2
    stop_grace: 1s
`;

/** Runs the CLI on a real terminal (util-linux `script` gives it a pty), typing `typed` at its prompt. */
function onTerminal(sb: Sandbox, args: string[], typed: string): Promise<{ code: number; output: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((resolve) => {
    const child = execFile(
      'script',
      ['--quiet', '--return', '--command', command, '/dev/null'],
      { cwd: sb.appDir, env: { ...process.env, ...sb.daemonEnv }, timeout: 60_000 },
      (err, stdout) =>
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, output: stdout }),
    );
    // The prompt waits for a line; typing it before the question is printed is fine (the pty buffers it).
    child.stdin!.end(`${typed}\n`);
  });
}

describe('apps destroy (real processes)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('destroys nothing without the name confirmed, and everything of the app once it is', async () => {
    sb = new Sandbox('destroy');
    sb.writeApp(IDLE);
    await sb.cliOk(['up']);
    const appHome = join(sb.home, 'apps', sb.app);
    expect(existsSync(appHome)).toBe(true);
    const stillThere = async () => {
      expect((await sb.ps()).filter((r) => r.state === 'running')).toHaveLength(2);
      expect(sb.replicaLeaders().size).toBe(2);
      expect(existsSync(appHome)).toBe(true);
    };

    // No terminal to ask on, and no --confirm: a usage error that says how to confirm.
    const unasked = await sb.cli(['apps', 'destroy', sb.app]);
    expect(unasked.code).toBe(1);
    expect(unasked.stderr).toContain('NS_CONFIRM_MISMATCH');
    expect(unasked.stderr).toContain(`--confirm ${sb.app}`);
    await stillThere();

    const wrong = await sb.cli(['apps', 'destroy', sb.app, '--confirm', 'something-else']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('nothing was destroyed');
    await stillThere();

    // On a terminal it asks; a different name typed back destroys nothing.
    const mistyped = await onTerminal(sb, ['apps', 'destroy', sb.app], 'not-the-app');
    expect(mistyped.output).toContain("Type the app's name to confirm");
    expect(mistyped.code).toBe(1);
    await stillThere();

    const typed = await onTerminal(sb, ['apps', 'destroy', sb.app], sb.app);
    expect(typed.output).toContain(`destroyed ${sb.app}`);
    expect(typed.code).toBe(0);
    await waitFor(() => sb.userPids().length === 0, 10_000, 'the replicas to be gone');
    expect(existsSync(appHome)).toBe(false);
    const apps = JSON.parse((await sb.cliOk(['apps', '--json'])).stdout) as { name: string }[];
    expect(apps.map((a) => a.name)).not.toContain(sb.app);
    const gone = await sb.cli(['ps', '--app', sb.app]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('NS_APP_NOT_FOUND');
  });
});
