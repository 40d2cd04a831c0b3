import type { Command } from '@commander-js/extra-typings';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check this machine for the daemon: Node, daemon, home, Redis, cgroups, disk, clock; print fixes',
    )
    .option('--json', 'print [{ check, status, detail, fix }] (status: ok, warn, fail, unknown)')
    .addHelpText(
      'after',
      ['', 'Exit status: 0 nothing wrong (warnings allowed), 1 a check failed. See docs/doctor.md.'].join(
        '\n',
      ),
    )
    .action(async (opts) => {
      const { runDoctor } = await import('./doctor-run.js');
      process.exitCode = await runDoctor(opts.json === true);
    });
}
