import { Argument, type Command } from '@commander-js/extra-typings';
import { bashCompletion, commandTree, zshCompletion } from '../lib/completion.js';

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print the shell completion script for bash or zsh (from the command definitions)')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh'] as const))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  source <(nightshift completion bash)     # in ~/.bashrc',
        '  nightshift completion zsh > "${fpath[1]}/_nightshift"',
      ].join('\n'),
    )
    .action((shell) => {
      // The whole program as defined now: a new command or option is completed without touching this file.
      const tree = commandTree(program);
      process.stdout.write(shell === 'bash' ? bashCompletion(tree) : zshCompletion(tree));
    });
}
