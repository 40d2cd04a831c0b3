import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import type { EventEntry } from '@nightshift/protocol';
import { appOf, cliContext } from '../lib/context.js';
import { printJson } from '../output.js';

export function registerEvents(program: Command): void {
  program
    .command('events')
    .description("the app's timeline: deploys, scaling, crashes, restarts")
    .option('-n, --num <n>', 'how many', '50')
    .option('-t, --tail', 'keep following new events')
    .option('--json', 'JSON: an array (newest first), or one object a line with --tail')
    .action(async (opts, cmd) => {
      const app = appOf(cmd);
      const client = cliContext().client;
      const events = await client.call(api.appEvents, { params: { app }, query: { n: opts.num } });
      if (opts.json && !opts.tail) {
        printJson(events);
        return;
      }
      const print = (e: EventEntry) =>
        process.stdout.write(
          opts.json
            ? JSON.stringify(e) + '\n'
            : `${e.time} ${e.type.padEnd(18)} ${e.message}${e.count ? ` ×${e.count} (last ${e.lastTime})` : ''}\n`,
        );
      for (const e of [...events].reverse()) print(e);
      if (!opts.tail) return;
      const last = events[0]?.id;
      await client.stream(api.eventStream, { params: { app }, query: { after: last } }, (ev) => {
        if (ev.event === 'event') print(JSON.parse(ev.data) as EventEntry);
      });
    });
}
