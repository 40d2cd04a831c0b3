import { api, ErrorCodes, NightshiftError, type QueueList } from '@nightshift/protocol';
import type { Command } from '@commander-js/extra-typings';
import { appOf, cliContext } from '../lib/context.js';
import { table } from '../lib/format.js';
import { parseDurationArg } from '../lib/time.js';
import { printJson } from '../output.js';

/** `nightshift queues [pause|resume|retry|clean|cancel]`: the app's BullMQ queues (`<app>:bull:<name>`). */
export function registerQueues(program: Command): void {
  const queues = program
    .command('queues')
    .description("the app's BullMQ queues: counts by state; pause, resume, retry, clean, cancel in bulk")
    .option('--json', 'JSON: { app, where, queues: [{ name, paused, counts: { waiting, active, … } }] }')
    .action(async (opts, cmd) => {
      const list = await cliContext().client.call(api.queues, { params: { app: appOf(cmd) } });
      if (opts.json) return printJson(list);
      process.stdout.write(formatQueues(list));
    });

  for (const action of ['pause', 'resume'] as const) {
    queues
      .command(action)
      .description(
        action === 'pause' ? 'stop every worker taking jobs from the queue' : 'let workers take jobs again',
      )
      .argument('<name>', 'the queue')
      .action(async (name, _opts, cmd) => {
        const app = appOf(cmd);
        const route = action === 'pause' ? api.queuePause : api.queueResume;
        const queue = await cliContext().client.call(route, { params: { app, queue: name } });
        process.stderr.write(
          `${name}: ${queue.paused ? 'paused' : 'running'} (${queue.counts.waiting} waiting)\n`,
        );
      });
  }

  queues
    .command('retry')
    .description('move failed jobs back to waiting, oldest failure first')
    .argument('<name>', 'the queue')
    .option('--failed', 'retry failed jobs (the only kind there is to retry)')
    .option('--limit <n>', 'at most this many')
    .action(async (name, opts, cmd) => {
      const app = appOf(cmd);
      if (!opts.failed)
        throw usage('queues retry needs --failed', `nightshift queues retry ${name} --failed`);
      const limit = opts.limit === undefined ? undefined : positive(opts.limit, '--limit');
      const res = await cliContext().client.call(api.queueRetry, {
        params: { app, queue: name },
        body: { state: 'failed', ...(limit === undefined ? {} : { limit }) },
      });
      process.stderr.write(`${name}: ${res.retried} failed job(s) moved back to waiting\n`);
    });

  queues
    .command('clean')
    .description('remove failed or completed jobs that finished more than --older-than ago')
    .argument('<name>', 'the queue')
    .option('--failed', 'remove failed jobs')
    .option('--completed', 'remove completed jobs')
    .option('--older-than <age>', 'finished more than this long ago: 30m, 12h, 1d')
    .action(async (name, opts, cmd) => {
      const app = appOf(cmd);
      if (opts.failed === opts.completed)
        throw usage(
          'queues clean needs one of --failed or --completed',
          `nightshift queues clean ${name} --completed --older-than 1d`,
        );
      if (opts.olderThan === undefined)
        throw usage(
          'queues clean needs --older-than',
          `nightshift queues clean ${name} --failed --older-than 1d`,
        );
      const state = opts.failed ? 'failed' : 'completed';
      const res = await cliContext().client.call(api.queueClean, {
        params: { app, queue: name },
        body: { state, olderThanMs: parseDurationArg(opts.olderThan, '--older-than') },
      });
      process.stderr.write(`${name}: ${res.removed} ${state} job(s) removed\n`);
    });

  queues
    .command('cancel')
    .description('remove waiting jobs in bulk (all, or those matching --match); counts first and asks')
    .argument('<name>', 'the queue')
    .option('--waiting', 'remove waiting jobs (the only kind cancel takes)')
    .option('--match <path=value>', 'only jobs whose field holds the value, e.g. data.tenant=acme')
    .option('--yes', 'do not ask for confirmation')
    .option('--dry-run', 'only count the jobs that would be removed')
    .action(async (name, opts, cmd) => {
      const app = appOf(cmd);
      if (!opts.waiting)
        throw usage('queues cancel needs --waiting', `nightshift queues cancel ${name} --waiting`);
      const match = opts.match === undefined ? undefined : parseMatchArg(opts.match);
      const client = cliContext().client;
      const call = (dryRun: boolean) =>
        client.call(api.queueCancel, {
          params: { app, queue: name },
          body: { state: 'waiting', dryRun, ...(match ? { match } : {}) },
        });
      const which = match ? ` matching ${opts.match}` : '';
      const counted = await call(true);
      process.stderr.write(`${name}: ${counted.matched} waiting job(s)${which}\n`);
      if (opts.dryRun || counted.matched === 0) return;
      if (!opts.yes && !(await confirm(`Remove them from ${name}? [y/N] `))) {
        process.stderr.write('nothing removed\n');
        return;
      }
      const done = await call(false);
      process.stderr.write(`${name}: removed ${done.removed} waiting job(s)${which}\n`);
    });
}

/** The table of `nightshift queues`; an app with no queue yet says so. */
export function formatQueues(list: QueueList): string {
  if (list.queues.length === 0) return `no BullMQ queues under ${list.app}:bull: yet\n`;
  const rows = list.queues.map((q) => [
    q.name,
    q.paused ? 'paused' : 'running',
    ...[
      q.counts.waiting,
      q.counts.active,
      q.counts.delayed,
      q.counts.failed,
      q.counts.completed,
      q.counts.paused,
    ].map(String),
  ]);
  return table(['QUEUE', 'STATE', 'WAITING', 'ACTIVE', 'DELAYED', 'FAILED', 'COMPLETED', 'PAUSED'], rows);
}

/** `data.tenant=acme` → `{ path, value }`: split at the first `=` (a value may contain more). */
export function parseMatchArg(arg: string): { path: string; value: string } {
  const at = arg.indexOf('=');
  if (at <= 0) throw usage(`--match "${arg}" is not PATH=VALUE`, '--match data.tenant=acme');
  return { path: arg.slice(0, at), value: arg.slice(at + 1) };
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw usage(
      'removing jobs needs confirmation and there is no terminal to ask',
      'pass --yes (or --dry-run to only count)',
    );
  }
  const { createInterface } = process.getBuiltinModule('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw usage(`${flag} must be a whole number ≥ 1, got "${value}"`, `e.g. ${flag} 100`);
  return n;
}

function usage(message: string, example: string): NightshiftError {
  return new NightshiftError(ErrorCodes.usage, message, `e.g. ${example}`);
}
