import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { appOf, cliContext } from '../lib/context.js';

export function registerLifecycle(program: Command): void {
  program
    .command('restart')
    .description('restart replicas one at a time (all processes, or one)')
    .argument('[process]', 'a process name, e.g. emails')
    .action(async (proc, _opts, cmd) => {
      const app = appOf(cmd);
      await cliContext().client.call(api.restart, {
        params: { app },
        body: proc ? { process: proc } : {},
      });
      process.stderr.write(`restarted ${proc ?? 'every process'} of ${app}\n`);
    });

  for (const action of ['stop', 'start'] as const) {
    program
      .command(action)
      .description(
        action === 'stop'
          ? 'stop every replica of a process (kept stopped across deploys)'
          : 'start a stopped process again',
      )
      .argument('<process>', 'a process name, e.g. emails')
      .action(async (proc, _opts, cmd) => {
        const app = appOf(cmd);
        await cliContext().client.call(action === 'stop' ? api.stopProcess : api.startProcess, {
          params: { app },
          body: { process: proc },
        });
        process.stderr.write(`${proc} of ${app} ${action === 'stop' ? 'stopped' : 'started'}\n`);
      });
  }
}
