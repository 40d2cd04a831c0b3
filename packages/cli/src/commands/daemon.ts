import type { Command } from '@commander-js/extra-typings';
import { environmentHelp } from '../environment-help.js';
import { cliContext } from '../lib/context.js';
import { stopDaemon } from '../lib/daemon-process.js';

export function registerDaemon(program: Command): void {
  const daemon = program
    .command('daemon')
    .description('run the daemon in the foreground (for systemd or a container); `daemon stop` stops it')
    // No defaults here: the daemon's config parse has them, after NIGHTSHIFT_HTTP_PORT and NIGHTSHIFT_HTTP_HOST.
    .option(
      '--port <port>',
      'TCP port of the API and dashboard (default: NIGHTSHIFT_HTTP_PORT, else 7300; 0 = any free port)',
    )
    .option('--host <address>', 'address of the TCP listener (default: NIGHTSHIFT_HTTP_HOST, else 127.0.0.1)')
    .option(
      '--require-noeviction',
      'refuse to start when NIGHTSHIFT_REDIS_ADMIN_URL names a Redis that may evict keys (maxmemory-policy other than noeviction)',
    )
    .option(
      '--logs-retain <size>',
      "disk each app's logs may hold unless its manifest says (NIGHTSHIFT_LOGS_RETAIN)",
    )
    .option('--logs-max-age <duration>', 'age after which log segments go, or none (NIGHTSHIFT_LOGS_MAX_AGE)')
    .option('--logs-total <size>', "disk all apps' logs may hold together, or none (NIGHTSHIFT_LOGS_TOTAL)")
    .option(
      '--systemd-unit',
      'print a systemd unit that runs this daemon (with the options given here) and exit; docs/operating.md',
    )
    .option('--user <name>', 'with --systemd-unit: the user the service runs as (default: you)')
    .addHelpText('after', environmentHelp())
    .action(async (opts) => {
      if (opts.systemdUnit) {
        const { printSystemdUnit } = await import('./daemon-unit.js');
        printSystemdUnit(opts);
        return;
      }
      const { runDaemon } = await import('@nightshift/daemon');
      process.exitCode = await runDaemon({
        port: opts.port,
        host: opts.host,
        requireNoeviction: opts.requireNoeviction,
        logsRetain: opts.logsRetain,
        logsMaxAge: opts.logsMaxAge,
        logsTotal: opts.logsTotal,
      });
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
