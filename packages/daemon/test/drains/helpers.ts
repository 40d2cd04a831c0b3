import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DrainManager } from '../../src/drains/manager.js';
import { EventBus, type DaemonEvent } from '../../src/events/index.js';
import { createLogService, type LogService } from '../../src/logs/index.js';
import { systemClock } from '../../src/runtime/clock.js';
import { openDb, type Db } from '../../src/store/index.js';
import { pipeOf } from '../logs/helpers.js';

const KiB = 1024;

/**
 * A Loki push receiver on a real socket: answers 503 while `down`, else 204 and keeps the line numbers it
 * accepted (`line <n> …`), in arrival order. `cleanup` is handed its closing.
 */
export async function receiver(
  cleanup: (close: () => Promise<void>) => void,
): Promise<{ url: string; accepted: number[]; setDown: (down: boolean) => void }> {
  let down = true;
  const accepted: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (down) {
        res.statusCode = 503;
        return res.end();
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        streams: Array<{ values: Array<[string, string]> }>;
      };
      // One replica and one stream: a single Loki stream per push, so its values keep the drain's order.
      for (const { values } of body.streams)
        for (const [, message] of values) accepted.push(Number(message.split(' ')[1]));
      res.statusCode = 204;
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  const { port } = server.address() as AddressInfo;
  return { url: `loki+http://127.0.0.1:${port}`, accepted, setDown: (value) => void (down = value) };
}

/** Numbered lines of about 100 bytes, captured in 16 KiB chunks as a pipe delivers them. */
export async function capture(logs: LogService, from: number, count: number): Promise<void> {
  let text = '';
  for (let n = from; n < from + count; n++) text += `line ${n} ${'x'.repeat(90)}\n`;
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += 16 * KiB) chunks.push(text.slice(at, at + 16 * KiB));
  await logs.capture({ app: 'shop', process: 'emails', source: 'emails.1' }, 'out', pipeOf(...chunks));
}

/** Rotated segments not yet compressed (compression runs after rotation, off the capture path). */
export function uncompressed(dir: string): string[] {
  return readdirSync(join(dir, 'shop', 'logs')).filter((name) => /\.\d+\.log(\.gz\.partial)?$/.test(name));
}

/**
 * One daemon's log service (128 KiB segments), store, event bus (its events collected) and drain manager over
 * `dir`, drains tuned to retry fast; a later one over the same `dir` opens the same files.
 */
export function drainWorld(
  dir: string,
  opts: { bufferLines: number; retainBytes?: number; checkpointMs?: number },
): { logs: LogService; db: Db; events: DaemonEvent[]; drains: DrainManager } {
  const logs = createLogService({
    dir: join(dir, 'apps'),
    maxFileBytes: 128 * KiB,
    ...(opts.retainBytes !== undefined ? { retainBytes: opts.retainBytes } : {}),
  });
  const db = openDb(join(dir, 'state.db'));
  const events: DaemonEvent[] = [];
  const bus = new EventBus(
    (event) => (events.push(event), events.length),
    (err) => {
      throw err;
    },
  );
  const drains = new DrainManager({
    db,
    bus,
    logs,
    clock: systemClock,
    ...(opts.checkpointMs !== undefined ? { checkpointMs: opts.checkpointMs } : {}),
    drainOptions: {
      bufferLines: opts.bufferLines,
      backoffBaseMs: 20,
      maxBackoffMs: 100,
      lingerMs: 5,
      reportIntervalMs: 10,
    },
  });
  return { logs, db, events, drains };
}
