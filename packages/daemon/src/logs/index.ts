/**
 * The daemon's log pipeline: capture, back-pressure, storage with rotation, queries, live tails, redaction and
 * drains. The composition root builds one service and one drain per configured URL; nothing else is needed.
 *
 * ```ts
 * const logs = createLogService({ dir: join(home, 'apps'), clock: Date.now, onError: (e) => events.emit(…) });
 * // per replica: both pipes, from spawn on; each promise resolves when its pipe ended and is on disk
 * void logs.capture({ app: 'shop', process: 'emails', source: 'emails.2' }, 'out', child.stdout);
 * void logs.capture({ app: 'shop', process: 'emails', source: 'emails.2' }, 'err', child.stderr);
 * // a cron run: its lines go to their own capped file instead of the process files
 * await logs.capture({ app: 'shop', process: 'cron', source: 'cron:nightly#41', runLog: runLogPath }, 'out', run.stdout);
 * await logs.query({ app: 'shop', process: 'emails', since, until, limit: 100 });   // `nightshift logs`
 * for await (const line of logs.follow({ app: 'shop' }, { after: lastEventId })) sse.write(line.id, line);
 * logs.setRedactor('shop', makeRedactor({ SMTP_PASS: '…' }));
 * const drain = createDrain('syslog+tls://logs.example.com:6514', {
 *   onUndelivered: (n) => events.emit(…),
 *   replay: (after, limit) => logs.readAfter('shop', after, {}, limit), // past the buffer: catch up from disk
 * });
 * const stop = logs.subscribe({ app: 'shop' }, (line) => drain.push(line));
 * ```
 *
 * Contract, in short:
 * - Lines are split on `\n`; a last line without one is kept; lines over 64 KiB are stored in pieces, each but
 *   the last marked `continued`; invalid UTF-8 becomes U+FFFD. Each line is stamped with the clock when read
 *   (ms; never decreasing within an app) and gets an `id`: strictly increasing per app, never reused after a
 *   restart, so it resumes an SSE stream.
 * - Back-pressure: while a file's writer is behind, the pipes writing to it are not read. Memory per pipe is
 *   bounded (one read chunk, one partial line ≤ 68 KiB) and per file (≈ 1 MiB buffered plus the batch in flight).
 *   Run the daemon with `--expose-gc`: the service then frees pipe read buffers early (see `collectGarbage`).
 * - Storage: `<dir>/<app>/logs/<process>.log`, rotated by size into `<process>.<generation>.log`, then
 *   compressed into `<process>.<generation>.log.gz` off the capture path. Retention per app (`retainBytes`,
 *   `maxAgeMs`, each app's own through `setRetention`) and across apps (`totalCapBytes`) removes the oldest
 *   segments; `diskUsage` says what each app holds. Queries read compressed segments too. Run logs stop at
 *   `runLogCapBytes` with a marker line. docs/logs.md has the format.
 * - `subscribe` pushes synchronously (for drains, whose buffers are bounded); `follow` is the consumer-paced
 *   tail for SSE: a consumer too far behind is dropped with `NS_LOG_FOLLOWER_DROPPED` and resumes by id.
 * - A redactor sees every line before it is written, emitted or drained; `makeRedactor` replaces secret values
 *   by `[secret:NAME]`, also across the 64 KiB split of an over-long line (values up to 4 KiB).
 * - Drains (`createDrain`): `syslog+tcp://`, `syslog+tls://`, `https://`, `loki+https://` (and `http://`,
 *   `loki+http://` for local receivers), each with a bounded buffer. With a `replay` reader (`readAfter`; the
 *   daemon's drains have one) a full buffer starts a catch-up from the stored lines instead of dropping; what is
 *   gone from disk by then, or fails for good, is counted in `stats().undelivered` and reported through
 *   `onUndelivered`, never silently dropped.
 */
export { createLogService, LogService } from './service.js';
export type { LogServiceOptions } from './options.js';
export type { AppRetention, AppLogDisk } from './retention.js';
export type { Follower, FollowOptions } from './follow.js';
export type { LogListener } from './hub.js';
export type { LogFilter, LogLine, LogQuery, LogStream, LogTarget, Redactor } from './types.js';
export { LINE_LIMIT } from './capture.js';
export { makeRedactor } from './redact.js';
export { parseFields } from './fields.js';
export { isLogError, LOG_ERROR_CODES, LogError, type LogErrorCode } from './errors.js';
