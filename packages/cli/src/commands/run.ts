import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { appOf, cliContext } from '../lib/context.js';

const SIGNAL_EXIT_BASE = 128;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      "run a one-off command in the live release with the app's environment (`run -- bash` for a shell)",
    )
    .option('-p, --process <name>', "use this process type's environment (default: the app's, without PORT)")
    .argument('<command...>', 'the command and its arguments, after --')
    .action(async (argv, opts, cmd) => {
      const app = appOf(cmd);
      const client = cliContext().client;
      const { cwd, env, release } = await client.call(api.runOneOff, {
        params: { app },
        body: { argv, ...(opts.process ? { process: opts.process } : {}) },
      });
      const started = Date.now();
      // stdio inherited: with a terminal the command gets the TTY, so `run -- bash` is interactive.
      // Loaded here, not at the top: every command would pay for node:child_process.
      const { spawn } = process.getBuiltinModule('node:child_process');
      const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: 'inherit' });
      const forward = (sig: NodeJS.Signals) => child.kill(sig);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      const status = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
        (resolve, reject) => {
          child.once('error', (err) =>
            reject(
              new NightshiftError(
                ErrorCodes.usage,
                `cannot run \`${argv.join(' ')}\`: ${err.message}`,
                'check the command exists in the release or on PATH',
              ),
            ),
          );
          child.once('exit', (code, signal) => resolve({ code, signal }));
        },
      );
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      await client
        .call(api.oneOffFinished, {
          params: { app },
          body: {
            argv,
            release,
            exitCode: status.code,
            signal: status.signal,
            durationMs: Date.now() - started,
          },
        })
        .catch(() => undefined);
      process.exitCode = status.code ?? SIGNAL_EXIT_BASE + signalNumber(status.signal);
    });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return (signal && numbers[signal]) ?? 1;
}
