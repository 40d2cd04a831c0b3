import { describe, expect, it } from 'vitest';
import { Drain } from '../../src/drains/drain.js';
import { DeliveryError, type Transport } from '../../src/drains/transport.js';
import { createLogService, type LogLine, type LogService } from '../../src/logs/index.js';
import { pipeOf, useTempDir } from '../logs/helpers.js';
import { waitFor } from '../logs/receivers.js';

const tempDir = useTempDir();
const KiB = 1024;

/** A receiver in memory (the log store is real): refuses while `down`, else keeps the lines in arrival order. */
function memoryReceiver(): Transport & { down: boolean; received: LogLine[] } {
  return {
    down: true,
    received: [],
    maxBatch: 200,
    async send(lines) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.down) throw new DeliveryError('503 Service Unavailable', true);
      this.received.push(...lines);
    },
    close() {},
  };
}

let next = 1;
/** Captures `count` lines numbered from a shared counter into `process`, in small chunks. */
function capture(logs: LogService, process: string, count: number): Promise<void> {
  let text = '';
  for (let k = 0; k < count; k++) text += `line ${next++} ${'y'.repeat(60)}\n`;
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += 2 * KiB) chunks.push(text.slice(at, at + 2 * KiB));
  return logs.capture({ app: 'shop', process, source: `${process}.1` }, 'out', pipeOf(...chunks));
}

describe('drain catch-up switch-over', () => {
  it('takes lines captured while pages are read (two processes) without a gap or a duplicate, then is live again', async () => {
    next = 1;
    const logs = createLogService({ dir: tempDir(), maxFileBytes: 128 * KiB });
    const receiver = memoryReceiver();
    let reads = 0;
    let racing = false;
    const drain = new Drain('memory://', receiver, {
      bufferLines: 400,
      replayPageLines: 250,
      backoffBaseMs: 5,
      maxBackoffMs: 20,
      lingerMs: 2,
      // The store's own reader, raced by a capture into the other process: lines arrive while the page is read.
      replay: async (afterId, limit) => {
        reads++;
        const page = logs.readAfter('shop', afterId, {}, limit);
        if (racing) await capture(logs, reads % 2 === 0 ? 'web' : 'emails', 30);
        return page;
      },
    });
    const unsubscribe = logs.subscribe({ app: 'shop' }, (line) => drain.push(line));
    await capture(logs, 'emails', 3000);
    expect(drain.stats()).toMatchObject({ catchingUp: true, delivered: 0, buffered: 3000 });
    racing = true;
    receiver.down = false;
    await waitFor(() => !drain.stats().catchingUp, 20_000, 'the catch-up to end');
    racing = false;
    expect(reads).toBeGreaterThan(10);
    const total = next - 1;
    await waitFor(() => drain.stats().delivered === total, 20_000, 'every line delivered');
    const ids = receiver.received.map((line) => Number(line.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    const numbers = receiver.received.map((line) => Number(line.message.split(' ')[1])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(drain.stats()).toMatchObject({ undelivered: 0, buffered: 0, catchingUp: false });
    unsubscribe();
    await drain.close(0);
    await logs.close();
  });
});
