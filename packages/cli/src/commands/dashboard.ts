import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { cliContext } from '../lib/context.js';
import { printJson } from '../output.js';

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description("print the dashboard's address and a login link (single use, valid 60 s)")
    .option('--json', 'print { url, loginUrl, code, expiresAt } as JSON')
    .action(async (opts) => {
      // Minted over the Unix socket: only the daemon's user can make one.
      const link = await cliContext().client.call(api.loginCode, {});
      if (opts.json) return printJson(link);
      process.stdout.write(`${link.url}\n${link.loginUrl}\n`);
      process.stderr.write(
        `Open the second link to log in; it works once, until ${link.expiresAt}. The login page also takes the API token.\n`,
      );
    });
}
