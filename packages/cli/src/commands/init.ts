import { Option, type Command } from '@commander-js/extra-typings';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'write a starter .paas/app.yaml from the Procfile, package.json scripts or PM2 ecosystem file',
    )
    .argument('[dir]', "the app's folder", '.')
    .option('--force', 'replace an existing .paas/app.yaml')
    .addOption(
      new Option(
        '--from <source>',
        'convert this source only (default: pm2, else procfile, else package)',
      ).choices(['pm2', 'procfile', 'package'] as const),
    )
    .addHelpText(
      'after',
      [
        '',
        'Every field gets a comment saying where it came from; the file is validated before it is written.',
        'Exit status: 0 written, 1 nothing written (a manifest exists without --force, no source, a bad source).',
        '',
        'Examples:',
        '  nightshift init',
        '  nightshift init --from procfile --force',
      ].join('\n'),
    )
    .action(async (dir, opts) => {
      // Loaded on use: the manifest package (zod, yaml) would slow every other command's start.
      const { runInit } = await import('./init-run.js');
      process.exitCode = await runInit(dir, {
        force: opts.force === true,
        ...(opts.from && { from: opts.from }),
      });
    });
}
