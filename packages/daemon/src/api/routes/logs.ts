import type { Router } from '../http/router.js';
import { sendNdjson, sendSse } from '../http/stream.js';
import type { LogDiskUsage, LogEntry, LogStreamMessage } from '@nightshift/protocol';
import { ErrorCodes, LOG_JSON_MAX_LINES, NightshiftError, toErrorBody } from '@nightshift/protocol';
import { type AppLogDisk, type LogLine, type LogStream, parseFields } from '../../logs/index.js';
import type { ApiServices } from '../services.js';

/** Stored line → API shape. */
export function toLogEntry(line: LogLine): LogEntry {
  const fields = parseFields(line.message);
  return {
    id: line.id,
    time: new Date(line.time).toISOString(),
    source: line.source,
    replica: /^[A-Za-z][A-Za-z0-9_-]*\.\d+$/.test(line.source) ? line.source : null,
    process: line.process,
    stream: line.stream,
    message: line.message,
    ...(fields ? { fields } : {}),
    ...(line.continued ? { continued: true as const } : {}),
  };
}

/** The log service's disk view → API shape. */
export function toLogDiskUsage(usage: { apps: AppLogDisk[]; totalCapBytes: number | null }): LogDiskUsage {
  return {
    apps: usage.apps.map((app) => ({
      app: app.app,
      bytes: app.bytes,
      files: app.files,
      compressedFiles: app.compressedFiles,
      oldestSegmentAt: app.oldestMs === null ? null : new Date(app.oldestMs).toISOString(),
      retainBytes: app.rule.retainBytes,
      maxAgeMs: app.rule.maxAgeMs,
    })),
    totalBytes: usage.apps.reduce((sum, app) => sum + app.bytes, 0),
    totalCapBytes: usage.totalCapBytes,
  };
}

interface Filter {
  process?: string;
  source?: string;
  stream?: LogStream;
}

function readFilter(q: (name: string) => string | undefined): Filter {
  const filter: Filter = {};
  const proc = q('process');
  if (proc) {
    // `emails.2` names one replica; `emails` the whole process type.
    const dot = proc.lastIndexOf('.');
    if (dot > 0 && /^\d+$/.test(proc.slice(dot + 1))) {
      filter.process = proc.slice(0, dot);
      filter.source = proc;
    } else {
      filter.process = proc;
    }
  }
  const stream = q('stream');
  if (stream !== undefined) {
    if (stream !== 'out' && stream !== 'err') {
      throw new NightshiftError(
        ErrorCodes.badRequest,
        `stream "${stream}" is not out or err`,
        'use --stream out or --stream err',
      );
    }
    filter.stream = stream;
  }
  return filter;
}

function readLimit(value: string | undefined): number {
  if (value === undefined || value === '') return 100;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new NightshiftError(
      ErrorCodes.badRequest,
      `n "${value}" is not a whole number of lines`,
      'give 1 or more, e.g. n=500',
    );
  }
  return n;
}

function readTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isFinite(ms)) {
    throw new NightshiftError(
      ErrorCodes.badRequest,
      `${name} "${value}" is not a time in milliseconds`,
      'the CLI converts 10m or ISO-8601 times for you',
    );
  }
  return ms;
}

/**
 * Entries per write of a streamed answer: enough to make each write worth it, and small, because what is alive
 * across V8's young collections is promoted to the old space, which grows by megabytes before it is collected.
 */
const NDJSON_BATCH_LINES = 256;
const NDJSON_BATCH_CHARS = 16 * 1024;

export function logRoutes(r: Router, s: ApiServices): void {
  r.get('/logs/disk', (c) => c.json(toLogDiskUsage(s.logs.diskUsage())));

  // The last n lines of the window. With `accept: application/x-ndjson` any n streams (LogStreamMessage), read
  // and sent a block at a time; a plain JSON array is refused above LOG_JSON_MAX_LINES rather than cut.
  r.get('/apps/:app/logs', async (c) => {
    const q = (n: string) => c.query(n);
    const limit = readLimit(q('n'));
    const since = readTime(q('since'), 'since');
    const until = readTime(q('until'), 'until');
    const query = {
      app: c.param('app'),
      ...readFilter(q),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
      limit,
    };
    if (!(c.header('accept') ?? '').includes('application/x-ndjson')) {
      if (limit > LOG_JSON_MAX_LINES) {
        throw new NightshiftError(
          ErrorCodes.badRequest,
          `n=${limit} is over the ${LOG_JSON_MAX_LINES} lines a JSON answer holds`,
          'ask with `accept: application/x-ndjson` to stream any number of lines (nightshift logs does), or narrow the window with since/until',
        );
      }
      return c.json((await s.logs.query(query)).map(toLogEntry));
    }
    const lines = s.logs.streamLast(query);
    return sendNdjson(c, async (out) => {
      let count = 0;
      let pending: LogStreamMessage[] = [];
      let pendingBytes = 0;
      try {
        for await (const line of lines) {
          if (out.aborted) break;
          pending.push({ type: 'entry', entry: toLogEntry(line) });
          pendingBytes += line.message.length;
          count++;
          if (pending.length < NDJSON_BATCH_LINES && pendingBytes < NDJSON_BATCH_CHARS) continue;
          await out.sendAll(pending);
          pending = [];
          pendingBytes = 0;
        }
        await out.sendAll([...pending, { type: 'end', count } satisfies LogStreamMessage]);
      } catch (err) {
        await out.send({ type: 'error', ...toErrorBody(err) } satisfies LogStreamMessage);
      }
    });
  });

  // Live tail as Server-Sent Events; `Last-Event-ID` (or ?after=) resumes after a line id.
  r.get('/apps/:app/logs/stream', (c) => {
    const after = c.header('last-event-id') ?? c.query('after');
    const follower = s.logs.follow(
      { app: c.param('app'), ...readFilter((n) => c.query(n)) },
      after ? { after } : {},
    );
    return sendSse(c, async (stream) => {
      stream.onAbort(() => follower.close());
      try {
        for await (const line of follower) {
          await stream.writeSSE({ id: line.id, event: 'line', data: JSON.stringify(toLogEntry(line)) });
        }
      } catch (err) {
        await stream.writeSSE({
          event: 'error',
          data: JSON.stringify({
            code: (err as { code?: string }).code ?? ErrorCodes.internal,
            message: (err as Error).message,
          }),
        });
      } finally {
        follower.close();
      }
    });
  });
}
