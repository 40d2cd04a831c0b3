import { api } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import type { LogEntry, LogStreamMessage } from '@nightshift/protocol';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import pc from 'picocolors';
import type { ApiClient, CallOptions } from '../lib/client.js';
import { appOf, cliContext } from '../lib/context.js';
import { parseTimeArg } from '../lib/time.js';
import { printLogDisk } from './logs-disk.js';

const COLORS = [pc.cyan, pc.magenta, pc.yellow, pc.green, pc.blue, pc.red];

function colorFor(source: string): (s: string) => string {
  let h = 0;
  for (let i = 0; i < source.length; i++) h = (h * 31 + source.charCodeAt(i)) >>> 0;
  return COLORS[h % COLORS.length]!;
}

/**
 * Prints the stored lines as the daemon streams them (any -n: nothing is held whole on either side) and
 * returns the last id. An answer that ends without its `end` message was cut: that is an error, never silence.
 */
async function printStored(
  client: ApiClient,
  call: CallOptions<typeof api.logs>,
  print: (line: LogEntry) => void,
): Promise<string | undefined> {
  // Set from the callback; an object so the compiler does not narrow them to their initial values.
  const seen: { last?: string; printed: number; end: number | null; failure: NightshiftError | null } = {
    printed: 0,
    end: null,
    failure: null,
  };
  await client.getNdjson(api.logs, call, (value) => {
    const message = value as LogStreamMessage;
    if (message.type === 'entry') {
      print(message.entry);
      seen.last = message.entry.id;
      seen.printed++;
    } else if (message.type === 'end') {
      seen.end = message.count;
    } else if (message.type === 'error') {
      seen.failure = new NightshiftError(message.error.code, message.error.message, message.error.hint);
    }
  });
  if (seen.failure !== null) throw seen.failure;
  if (seen.end !== seen.printed) {
    throw new NightshiftError(
      ErrorCodes.internal,
      `the daemon's answer ended after ${seen.printed} lines without saying it was complete: the output above is cut`,
      "run the command again; if it keeps happening, read the daemon's log",
    );
  }
  return seen.last;
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description("the app's logs, merged across replicas in time order (the last 100 lines by default)")
    .argument('[process]', 'a process (`emails`) or one replica (`emails.2`)')
    .option('-t, --tail', 'keep following new lines')
    .option('-n, --num <n>', 'how many lines', '100')
    .option('--since <time>', 'from this time: 10m, 2h, or ISO-8601')
    .option('--until <time>', 'up to this time (exclusive): 5m, or ISO-8601')
    .option('--stream <stream>', 'only out or err')
    .option('--json', 'one JSON object a line: { time, source, replica, stream, message, fields? }')
    .option('--disk', "what every app's logs hold on disk, against its retention (with --json: one object)")
    .action(async (proc, opts, cmd) => {
      if (opts.disk) return printLogDisk(opts.json === true);
      const app = appOf(cmd);
      const num = Number(opts.num);
      if (!Number.isInteger(num) || num < 0) {
        throw new NightshiftError(ErrorCodes.usage, `-n "${opts.num}" is not a whole number`, 'e.g. -n 200');
      }
      if (opts.stream !== undefined && opts.stream !== 'out' && opts.stream !== 'err') {
        throw new NightshiftError(
          ErrorCodes.usage,
          `--stream "${opts.stream}" is not out or err`,
          'use --stream out or --stream err',
        );
      }
      const filter = { process: proc || undefined, stream: opts.stream || undefined };
      const now = Date.now();
      const query = {
        ...filter,
        n: num,
        since: opts.since ? parseTimeArg(opts.since, '--since', now) : undefined,
        until: opts.until ? parseTimeArg(opts.until, '--until', now) : undefined,
      };

      const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
      const print = (line: LogEntry) => {
        if (opts.json) {
          const { id: _id, process: _p, continued: _c, ...rest } = line;
          process.stdout.write(JSON.stringify(rest) + '\n');
          return;
        }
        const prefix = `${line.time} ${line.source}:`;
        process.stdout.write(`${useColor ? colorFor(line.source)(prefix) : prefix} ${line.message}\n`);
      };

      const client = cliContext().client;
      const after = num === 0 ? undefined : await printStored(client, { params: { app }, query }, print);
      if (!opts.tail) return;
      await client.stream(api.logStream, { params: { app }, query: { ...filter, after } }, (ev) => {
        if (ev.event === 'line') print(JSON.parse(ev.data) as LogEntry);
        else if (ev.event === 'error') process.stderr.write(`log stream error: ${ev.data}\n`);
      });
    });
}
