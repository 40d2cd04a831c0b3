// web: takes orders and shows them. POST /orders stores the order, enqueues a BullMQ job for the `orders`
// worker and appends an `order.created` event for the `events` worker; GET / is a page of recent orders,
// GET /orders the same as JSON.
const { createServer } = require('node:http');
const { Queue } = require('bullmq');
const { Redis } = require('ioredis');
const { eventCounts, openDb, recentOrders } = require('./lib/db.js');
const { ORDERS_QUEUE, REDIS_URL, publishEvent, queueOptions } = require('./lib/redis.js');

const db = openDb();
const redis = new Redis(REDIS_URL);
const queue = new Queue(ORDERS_QUEUE, queueOptions());
const insertOrder = db.prepare('INSERT INTO orders (item, qty) VALUES (?, ?) RETURNING id, status');

const server = createServer((req, res) => {
  route(req, res).catch((err) => {
    console.error(`${req.method} ${req.url}: ${err.stack}`);
    send(res, 500, { error: 'internal error' });
  });
});

async function route(req, res) {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { ok: true });
  if (req.method === 'GET' && url.pathname === '/orders') return send(res, 200, recentOrders(db));
  if (req.method === 'GET' && url.pathname === '/') return page(res);
  if (req.method === 'POST' && url.pathname === '/orders') return placeOrder(req, res);
  send(res, 404, { error: `no route for ${req.method} ${url.pathname}` });
}

async function placeOrder(req, res) {
  const input = await readBody(req);
  const item = String(input.item ?? '').trim();
  const qty = Number(input.qty ?? 1);
  if (!item || !Number.isInteger(qty) || qty < 1)
    return send(res, 400, { error: 'send { "item": "…", "qty": 1 } (qty a whole number ≥ 1)' });
  const order = insertOrder.get(item, qty);
  // The job id is the order's: a retried POST or a redelivery never processes one order twice.
  await queue.add('order', { orderId: order.id }, { jobId: `order-${order.id}`, removeOnComplete: 1000 });
  await publishEvent(redis, 'order.created', { orderId: order.id, item, qty });
  console.log(`order ${order.id}: ${qty} × ${item} queued`);
  send(res, 201, { id: order.id, status: order.status });
}

/** JSON or a form post (`curl -d item=tea -d qty=2`). */
async function readBody(req) {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 64 * 1024) throw new Error('body too large');
  }
  if ((req.headers['content-type'] ?? '').includes('application/json')) return text ? JSON.parse(text) : {};
  return Object.fromEntries(new URLSearchParams(text));
}

function page(res) {
  const esc = (v) => String(v ?? '').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = recentOrders(db)
    .map(
      (o) =>
        `<tr><td>${o.id}</td><td>${esc(o.item)}</td><td>${o.qty}</td><td>${o.status}</td>` +
        `<td>${esc(o.processedBy)}</td><td>${esc(o.createdAt)}</td></tr>`,
    )
    .join('\n');
  const events = eventCounts(db)
    .map((e) => `${esc(e.type)}: ${e.count}`)
    .join(' · ');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><title>shop</title><h1>shop (${esc(process.env.NIGHTSHIFT_RELEASE)})</h1>
<form method=post action=/orders><input name=item placeholder=item required> <input name=qty value=1 size=3>
<button>order</button></form>
<p>events seen: ${events || 'none yet'}</p>
<table border=1 cellpadding=4><tr><th>#</th><th>item</th><th>qty</th><th>status</th><th>by</th><th>at</th></tr>
${rows}
</table>`);
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

// The daemon sends SIGTERM on deploys, restarts and stops: finish the requests in flight, then close.
process.once('SIGTERM', () => {
  server.close(async () => {
    await queue.close();
    await redis.quit();
    db.close();
    process.exit(0);
  });
  server.closeIdleConnections();
});

server.listen(Number(process.env.PORT || 5400), () =>
  console.log(`shop web listening on port ${server.address().port}`),
);
