import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { ErrorCodes, NightshiftError, type DrainStatus } from '@nightshift/protocol';
import { appOf, cliContext } from '../lib/context.js';
import { table } from '../lib/format.js';
import { printJson } from '../output.js';

export function registerDrains(program: Command): void {
  const drains = program
    .command('drains')
    .description(
      'forward every log line of the app elsewhere: syslog+tcp://, syslog+tls://, https://, loki+https://',
    )
    .option('--json', 'print as JSON')
    .action(async (opts, cmd) => {
      const list = await cliContext().client.call(api.listDrains, { params: { app: appOf(cmd) } });
      printDrains(list, opts.json === true);
    });

  drains
    .command('ls')
    .description('list drains with what each delivered and could not deliver')
    .option('--json', 'print as JSON')
    .action(async (opts, cmd) => {
      const list = await cliContext().client.call(api.listDrains, { params: { app: appOf(cmd) } });
      // commander may hand `--json` to the parent `drains`, which has the same option.
      printDrains(list, opts.json === true || (cmd.optsWithGlobals() as { json?: boolean }).json === true);
    });

  drains
    .command('add')
    .description('add a drain')
    .argument('<url>', 'e.g. syslog+tls://logs.example.com:6514 or https://user:pass@host/path')
    .action(async (url, _opts, cmd) => {
      const d = await cliContext().client.call(api.addDrain, {
        params: { app: appOf(cmd) },
        body: { url },
      });
      process.stderr.write(`drain ${d.id} added: ${d.url}\n`);
    });

  drains
    .command('rm')
    .description('remove a drain')
    .argument('<id>', 'the id `drains ls` shows')
    .action(async (id, _opts, cmd) => {
      if (!/^\d+$/.test(id))
        throw new NightshiftError(
          ErrorCodes.usage,
          `drain id "${id}" is not a number`,
          'see `nightshift drains ls`',
        );
      await cliContext().client.call(api.removeDrain, { params: { app: appOf(cmd), id: String(id) } });
      process.stderr.write(`drain ${id} removed\n`);
    });
}

function printDrains(list: DrainStatus[], json: boolean): void {
  if (json) return printJson(list);
  process.stdout.write(
    table(
      ['ID', 'URL', 'DELIVERED', 'UNDELIVERED', 'BUFFERED', 'LAST ERROR'],
      list.map((d) => [
        String(d.id),
        d.url,
        String(d.delivered),
        String(d.undelivered),
        String(d.buffered),
        d.lastError ? `${d.lastError.at} ${d.lastError.message}` : '-',
      ]),
    ),
  );
}
