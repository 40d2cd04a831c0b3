import { api } from '@nightshift/protocol';
import { constants } from 'node:os';
import type { Command } from '@commander-js/extra-typings';
import type { CronJobEntry, CronRunEntry, LogEntry } from '@nightshift/protocol';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { appOf, cliContext } from '../lib/context.js';
import { shortDuration, table } from '../lib/format.js';
import { printJson } from '../output.js';

const SIGNAL_EXIT_BASE = 128;

/** `nightshift cron ls|history|run|logs|cancel|suspend|resume`. */
export function registerCron(program: Command): void {
  const cron = program
    .command('cron')
    .description('cron jobs of the live release: list, history, Run now, logs, cancel, suspend');

  cron
    .command('ls')
    .description('each job: schedule, next slot (UTC and local time), last run')
    .option('--json', 'print an array of jobs as JSON')
    .action(async (opts, cmd) => {
      const jobs = await cliContext().client.call(api.cronJobs, { params: { app: appOf(cmd) } });
      if (opts.json) printJson(jobs);
      else printJobs(jobs);
    });

  cron
    .command('history')
    .description("a job's runs and skipped slots, newest first")
    .argument('<name>', 'the cron job')
    .option('-n, --num <n>', 'how many', '20')
    .option(
      '--json',
      'JSON: [{ id, job, trigger, slot, coalesced, status, exitCode, signal, startedAt, finishedAt, durationMs, release, reason }]',
    )
    .action(async (name, opts, cmd) => {
      const n = positive(opts.num, '-n');
      const runs = await cliContext().client.call(api.cronHistory, {
        params: { app: appOf(cmd), job: name },
        query: { n },
      });
      if (opts.json) printJson(runs);
      else printRuns(runs);
    });

  cron
    .command('run')
    .description('start a manual run now (by the overlap policy unless --force); never moves the schedule')
    .argument('<name>', 'the cron job')
    .option('--wait', "stream the run's logs and exit with its exit code")
    .option('--force', 'start even if a run is active and the overlap policy would refuse')
    .option('--json', 'print the run as JSON (with --wait: the finished run)')
    .action(async (name, opts, cmd) => {
      const app = appOf(cmd);
      const client = cliContext().client;
      const run = await client.call(api.cronRun, {
        params: { app, job: name },
        body: { force: opts.force ?? false },
      });
      if (!opts.wait) {
        if (opts.json) printJson(run);
        else
          process.stdout.write(
            `run ${run.id} of ${name} ${run.status === 'queued' ? 'queued behind the active run' : 'started'}\n`,
          );
        return;
      }
      process.stderr.write(
        `run ${run.id} of ${name} ${run.status === 'queued' ? 'queued; waiting for it to start' : 'started'}\n`,
      );
      const end = await followRun(app, run.id, !opts.json);
      if (!end)
        throw new NightshiftError(
          ErrorCodes.internal,
          `the daemon closed the log stream of run ${run.id} before it ended`,
          `see \`nightshift cron history ${name}\``,
        );
      if (opts.json) printJson(end);
      else
        process.stderr.write(
          `run ${end.id} ${end.status}${end.signal ? ` (${end.signal})` : end.exitCode === null ? '' : ` (exit ${end.exitCode})`}${end.durationMs === null ? '' : ` after ${seconds(end.durationMs)}`}${end.reason ? `: ${end.reason}` : ''}\n`,
        );
      process.exitCode = exitCodeOf(end);
    });

  cron
    .command('logs')
    .description("a run's output (run ids are in `cron history`)")
    .argument('<run>', 'the run id')
    .option('-t, --tail', 'keep following until the run ends')
    .option('--json', 'one JSON object a line: { time, source, stream, message, fields? }')
    .action(async (id, opts, cmd) => {
      const app = appOf(cmd);
      positive(id, 'RUN_ID');
      if (opts.tail) {
        await followRun(app, Number(id), true, opts.json);
        return;
      }
      const lines = await cliContext().client.call(api.cronRunLogs, { params: { app, id: String(id) } });
      for (const line of lines) printLine(line, opts.json);
    });

  cron
    .command('cancel')
    .description(
      'stop the running run of a job (SIGTERM, SIGKILL after 10 s) and drop a waiting one: `cancelled`',
    )
    .argument('<name>', 'the cron job')
    .option('--json', 'print the cancelled runs as JSON')
    .action(async (name, opts, cmd) => {
      const runs = await cliContext().client.call(api.cronCancel, { params: { app: appOf(cmd), job: name } });
      if (opts.json) printJson(runs);
      else
        for (const r of runs)
          process.stdout.write(`run ${r.id} of ${name} ${r.status}${r.reason ? `: ${r.reason}` : ''}\n`);
    });

  for (const [verb, what] of [
    ['suspend', 'stop firing its slots (each is recorded as skipped) until `cron resume`'],
    ['resume', 'fire its slots again; nothing from the pause fires'],
  ] as const) {
    cron
      .command(verb)
      .description(`${what}; --all: every job of the app (an incident)`)
      .argument('[name]', 'the cron job')
      .option('--all', `${verb} every cron job of the app`)
      .option('--json', 'print the job (with --all: every job) as JSON')
      .action(async (name, opts, cmd) => {
        const app = appOf(cmd);
        const client = cliContext().client;
        if ((name === undefined) === (opts.all !== true)) {
          throw new NightshiftError(
            ErrorCodes.usage,
            name === undefined
              ? `cron ${verb} needs a job name or --all`
              : `cron ${verb} takes a job name or --all, not both`,
            `e.g. \`nightshift cron ${verb} nightly\` or \`nightshift cron ${verb} --all\``,
          );
        }
        const jobs =
          name === undefined
            ? await client.call(verb === 'suspend' ? api.cronSuspendAll : api.cronResumeAll, {
                params: { app },
              })
            : [
                await client.call(verb === 'suspend' ? api.cronSuspend : api.cronResume, {
                  params: { app, job: name },
                }),
              ];
        if (opts.json) printJson(name === undefined ? jobs : jobs[0]);
        else if (jobs.length === 0) process.stdout.write('no cron jobs in the live release\n');
        else
          for (const job of jobs)
            process.stdout.write(
              `${job.name} ${verb === 'suspend' ? 'suspended' : `resumed; next slot ${job.nextSlot ?? 'none'}`}\n`,
            );
      });
  }
}

/** Prints a run's lines (stored, then live) until it ends; returns the finished run. */
async function followRun(
  app: string,
  id: number,
  print: boolean,
  json = false,
): Promise<CronRunEntry | null> {
  let end: CronRunEntry | null = null;
  await cliContext().client.stream(api.cronRunLogStream, { params: { app, id: String(id) } }, (ev) => {
    if (ev.event === 'line' && print) printLine(JSON.parse(ev.data) as LogEntry, json);
    else if (ev.event === 'end') end = JSON.parse(ev.data) as CronRunEntry;
  });
  return end;
}

function printLine(line: LogEntry, json = false): void {
  if (json) {
    const { id: _id, process: _p, replica: _r, continued: _c, ...rest } = line;
    process.stdout.write(JSON.stringify(rest) + '\n');
  } else {
    process.stdout.write(`${line.time} ${line.source}: ${line.message}\n`);
  }
}

/** The run's exit code; 128 + n when a signal ended it; 1 when it has neither (never started, skipped). */
export function exitCodeOf(run: CronRunEntry): number {
  if (run.exitCode !== null) return run.exitCode;
  const n = run.signal ? (constants.signals as Record<string, number | undefined>)[run.signal] : undefined;
  return n === undefined ? 1 : SIGNAL_EXIT_BASE + n;
}

function printJobs(jobs: readonly CronJobEntry[], now = Date.now()): void {
  if (jobs.length === 0) {
    process.stdout.write('no cron jobs in the live release\n');
    return;
  }
  const rows = jobs.map((j) => [
    j.name,
    j.schedule,
    j.suspended ? 'suspended' : j.nextSlot ? utc(j.nextSlot) : '-',
    j.nextSlot && !j.suspended ? local(j.nextSlot) : '-',
    j.lastRun
      ? `${j.lastRun.status} ${shortDuration(now - Date.parse(j.lastRun.startedAt ?? j.lastRun.finishedAt ?? new Date(now).toISOString()))} ago (run ${j.lastRun.id})`
      : '-',
    j.running > 0 ? `${j.running} running` : '',
  ]);
  process.stdout.write(table(['NAME', 'SCHEDULE (UTC)', 'NEXT (UTC)', 'NEXT (LOCAL)', 'LAST RUN', ''], rows));
}

function printRuns(runs: readonly CronRunEntry[]): void {
  const rows = runs.map((r) => [
    String(r.id),
    r.trigger,
    r.slot ? utc(r.slot) : '-',
    r.status,
    r.signal ?? (r.exitCode === null ? '-' : String(r.exitCode)),
    r.startedAt ? utc(r.startedAt, true) : '-',
    r.durationMs === null ? '-' : seconds(r.durationMs),
    r.release ?? '-',
    [r.coalesced > 0 ? `+${r.coalesced} coalesced` : '', r.reason ?? ''].filter(Boolean).join('; '),
  ]);
  process.stdout.write(
    table(
      ['ID', 'TRIGGER', 'SLOT (UTC)', 'STATUS', 'EXIT', 'STARTED (UTC)', 'DURATION', 'RELEASE', 'NOTE'],
      rows,
    ),
  );
}

function utc(iso: string, withSeconds = false): string {
  return iso.replace('T', ' ').slice(0, withSeconds ? 19 : 16);
}

/** The slot in the viewer's time zone (TZ of the CLI), e.g. `2026-11-24 03:00 CET`. */
function local(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : shortDuration(ms);
}

function positive(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new NightshiftError(
      ErrorCodes.usage,
      `${what} "${text}" is not a positive whole number`,
      what === '-n' ? 'e.g. -n 50' : 'run ids are in `nightshift cron history NAME`',
    );
  return n;
}
