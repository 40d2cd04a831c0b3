import type { Command } from '@commander-js/extra-typings';
import { MANIFEST } from '../lib/context.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'check a manifest: a one-line summary when it is valid, else every error with its line and column',
    )
    .argument('[file]', 'the manifest to check', MANIFEST)
    .option(
      '--json',
      'print { ok, app, errors, warnings } on stdout (each error: code, message, hint, file, line, column)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Exit status: 0 valid (warnings allowed), 1 invalid or unreadable, 2 usage error.',
        'Errors are printed as FILE:LINE:COL error CODE message, then a hint line; codes are listed in docs/errors.md.',
        '',
        'Examples:',
        '  nightshift validate',
        '  nightshift validate services/api/.paas/app.yaml --json',
      ].join('\n'),
    )
    .action(async (file, opts) => {
      // Loaded on use: the manifest package (zod, yaml) would slow every other command's start.
      const { validateFile } = await import('./validate-run.js');
      process.exitCode = validateFile(file, opts.json === true);
    });
}
