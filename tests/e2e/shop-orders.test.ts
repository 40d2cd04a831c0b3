import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { AnyWorkerDefinition } from '@nightshift/worker';
import { runTestJob } from '@nightshift/worker/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

// Issue 20: the shop's `orders` worker tested the way the SDK's README tells users to test theirs
// (`runTestJob`: the real pipeline, no queue), against its real SQLite migration and the local Redis.
const shop = join(ROOT, 'examples', 'shop');
const prefix = `ns-test-shop-${Math.random().toString(36).slice(2, 10)}:`;
let dir = '';
let orders: AnyWorkerDefinition;
const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-shop-'));
  // The shop reads these when it opens the database and names its stream.
  process.env.SHOP_DATA_DIR = dir;
  process.env.NIGHTSHIFT_REDIS_PREFIX = prefix;
  execFileSync(process.execPath, [join(shop, 'migrate.js')], { env: { ...process.env }, stdio: 'pipe' });
  orders = createRequire(import.meta.url)(join(shop, 'workers', 'orders.js')) as AnyWorkerDefinition;
});

afterAll(async () => {
  delete process.env.SHOP_DATA_DIR;
  delete process.env.NIGHTSHIFT_REDIS_PREFIX;
  await redis.del(`${prefix}events`);
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
});

function order(item: string): number {
  const db = new DatabaseSync(join(dir, 'shop.db'));
  const row = db.prepare('INSERT INTO orders (item, qty) VALUES (?, 2) RETURNING id').get(item) as {
    id: number;
  };
  db.close();
  return row.id;
}

function statusOf(id: number): unknown {
  const db = new DatabaseSync(join(dir, 'shop.db'));
  const row = db.prepare('SELECT status, processed_by FROM orders WHERE id = ?').get(id);
  db.close();
  return row;
}

describe("the shop's orders worker (runTestJob, real SQLite and Redis)", () => {
  it('processes an order in its unit of work, logs with the job context, counts it, and publishes an event', async () => {
    const id = order('tea');
    const result = await runTestJob(orders, { data: { orderId: id }, id: `order-${id}` });
    expect(result.outcome).toBe('completed');
    expect(result.value).toEqual({ orderId: id });
    expect(statusOf(id)).toEqual({ status: 'processed', processed_by: 'local' });
    const line = result.logs.find((l) => l.msg === 'order processed');
    expect(line).toMatchObject({ jobId: `order-${id}`, orderId: id, item: 'tea' });
    expect(result.metrics.text).toContain('shop_orders_processed_total{item="tea"} 1');
    const events = await redis.xrange(`${prefix}events`, '-', '+');
    expect(events.at(-1)?.[1]).toEqual([
      'name',
      'order.processed',
      'data',
      JSON.stringify({ orderId: id, attempt: 1 }),
    ]);

    // A redelivery (at least once) finds the order processed and changes nothing.
    const again = await runTestJob(orders, { data: { orderId: id }, id: `order-${id}`, attempt: 2 });
    expect(again.outcome).toBe('completed');
    expect(again.logs.map((l) => l.msg)).toContain('already processed');
  });

  it('fails a job for an order that does not exist at once (non-retriable), leaving nothing behind', async () => {
    const result = await runTestJob(orders, { data: { orderId: 999_999 } });
    expect(result.outcome).toBe('failed');
    expect(String(result.error)).toContain('no order 999999');
    // The unit of work was rolled back and closed: the database takes a writer at once.
    expect(() => order('coffee')).not.toThrow();
  });
});
