import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listDrains, openDb, setDrainCheckpoint } from '../../src/store/index.js';
import { useTempDir } from '../logs/helpers.js';
import { waitFor } from '../logs/receivers.js';
import { capture, receiver, drainWorld } from './helpers.js';

const tempDir = useTempDir();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BUFFER_LINES = 1000;

/** One daemon's log service, store and drains over `dir` (the next one opens the same files). */
function daemon(dir: string, checkpointMs = 5_000) {
  const { logs, db, events, drains } = drainWorld(dir, { bufferLines: BUFFER_LINES, checkpointMs });
  let open = true;
  const stop = async () => {
    if (!open) return;
    open = false;
    await drains.closeAll();
    await logs.close();
    db.close();
  };
  cleanups.push(stop);
  const status = () => drains.list('shop')[0]!;
  const checkpoint = () => listDrains(db, 'shop')[0]!.deliveredThrough;
  return { logs, db, drains, events, status, checkpoint, stop };
}

describe('a drain across daemon restarts', () => {
  it('after a stop, the next daemon delivers what the last one held and what it never read: every line once, in order', async () => {
    const dir = tempDir();
    const { url, accepted, setDown } = await receiver((close) => cleanups.push(close));
    const first = daemon(dir);
    setDown(false);
    first.drains.add('shop', url);
    await capture(first.logs, 1, 500);
    await waitFor(() => first.status().delivered === 500, 10_000, 'the first 500 lines delivered');
    // The receiver goes down; 2,500 more lines overflow the 1,000-line buffer (a catch-up from disk begins).
    setDown(true);
    await capture(first.logs, 501, 2500);
    await waitFor(() => first.status().lastError !== null, 10_000, 'a refused batch');
    await first.stop();
    // Nothing was lost, so nothing is counted: the next daemon has it all on disk.
    expect(first.events.filter((e) => e.type === 'drain:undelivered')).toEqual([]);
    expect(accepted).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));

    setDown(false);
    const second = daemon(dir);
    expect(second.checkpoint()).not.toBeNull();
    second.drains.startAll();
    await capture(second.logs, 3001, 500);
    await waitFor(() => accepted.length >= 3500, 20_000, 'every line delivered');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(accepted).toEqual(Array.from({ length: 3500 }, (_, i) => i + 1));
    expect(second.status()).toMatchObject({ undelivered: 0, buffered: 0 });
  });

  it('checkpoints while it runs; a daemon that finds an older checkpoint (the last one was killed) resends only the lines after it', async () => {
    const dir = tempDir();
    const { url, accepted, setDown } = await receiver((close) => cleanups.push(close));
    setDown(false);
    const first = daemon(dir, 20);
    const { id } = first.drains.add('shop', url);
    await capture(first.logs, 1, 2000);
    await waitFor(() => first.status().delivered === 2000, 10_000, '2,000 lines delivered');
    const base = first.logs.newestId('shop') - 2000; // line n has id base + n
    // Saved while running, not only at a stop.
    await waitFor(() => first.checkpoint() === base + 2000, 5_000, 'the checkpoint of line 2000');
    await first.stop();
    // As after a kill -9 that came 500 lines after the last checkpoint.
    const db = openDb(join(dir, 'state.db'));
    setDrainCheckpoint(db, id, base + 1500);
    db.close();
    const second = daemon(dir);
    second.drains.startAll();
    await capture(second.logs, 2001, 300);
    await waitFor(() => accepted.length >= 2800, 10_000, 'the resent and the new lines');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const upTo = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expect(accepted).toEqual([...upTo(1, 2000), ...upTo(1501, 2000), ...upTo(2001, 2300)]);
  });
});
