import type { Router } from '../http/router.js';
import { sendSse } from '../http/stream.js';
import type { LogEntry } from '@nightshift/protocol';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';
import { type LogLine, type LogStream, parseFields } from '../../logs/index.js';
import type { ApiServices } from '../services.js';

/** Stored line → API shape. */
export function toLogEntry(line: LogLine): LogEntry {
  const fields = parseFields(line.message);
  return {
    id: line.id,
    time: new Date(line.time).toISOString(),
    source: line.source,
    replica: /^[a-z][a-z0-9-]*\.\d+$/.test(line.source) ? line.source : null,
    process: line.process,
    stream: line.stream,
    message: line.message,
    ...(fields ? { fields } : {}),
    ...(line.continued ? { continued: true as const } : {}),
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
      throw new NightshiftError(ErrorCodes.badRequest, `stream "${stream}" is not out or err`, 'use --stream out or --stream err');
    }
    filter.stream = stream;
  }
  return filter;
}

function readTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isFinite(ms)) {
    throw new NightshiftError(ErrorCodes.badRequest, `${name} "${value}" is not a time in milliseconds`, 'the CLI converts 10m or ISO-8601 times for you');
  }
  return ms;
}

export function logRoutes(r: Router, s: ApiServices): void {
  r.get('/apps/:app/logs', async (c) => {
    const q = (n: string) => c.query(n);
    const limit = Math.min(Math.max(Number(q('n') ?? 100) || 100, 1), 100_000);
    const since = readTime(q('since'), 'since');
    const until = readTime(q('until'), 'until');
    const lines = await s.logs.query({
      app: c.param('app'),
      ...readFilter(q),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
      limit,
    });
    return c.json(lines.map(toLogEntry));
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
        await stream.writeSSE({ event: 'error', data: JSON.stringify({ code: (err as { code?: string }).code ?? ErrorCodes.internal, message: (err as Error).message }) });
      } finally {
        follower.close();
      }
    });
  });
}
