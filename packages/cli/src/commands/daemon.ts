import type { Command } from '@commander-js/extra-typings';
import { cliContext } from '../lib/context.js';
import { stopDaemon } from '../lib/daemon-process.js';

export function registerDaemon(program: Command): void {
  const daemon = program
    .command('daemon')
    .description('run the daemon in the foreground (for systemd or a container); `daemon stop` stops it')
    .option('--port <port>', 'TCP port of the API and dashboard on 127.0.0.1 (0 = any free port)')
    .option('--host <address>', 'address of the TCP listener', '127.0.0.1')
    .action(async (opts) => {
      const { runDaemon } = await import('@nightshift/daemon');
      process.exitCode = await runDaemon({ port: opts.port, host: opts.host });
    });

  daemon
    .command('stop')
    .description('stop the daemon gracefully: SIGTERM to every replica, SIGKILL after its stop_grace')
    .option('--timeout <seconds>', 'how long to wait', '120')
    .action(async (opts) => {
      const stopped = await stopDaemon(cliContext(), Number(opts.timeout) * 1000);
      process.stderr.write(stopped ? 'daemon stopped\n' : 'no daemon was running\n');
    });
}
