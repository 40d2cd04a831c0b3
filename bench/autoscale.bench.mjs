// The autoscaler's cost per period for 200 autoscaled processes (target: under 1 ms in total): the pure
// decisions alone, and a whole period of the loop (readings, decisions, window upkeep) with in-memory inputs.
// Baseline: the bare HPA formula for the same processes, without window, bounds or signals' bookkeeping.
const dist = new URL('../packages/daemon/dist/', import.meta.url);
const { decide } = await import(new URL('supervisor/pure/autoscale.js', dist).href);
const { Autoscaler, AutoscaleBounds, AutoscaleWindows } = await import(
  new URL('autoscale/index.js', dist).href
);
const { openDb } = await import(new URL('store/index.js', dist).href);

const PROCESSES = 200;
const PERIOD = 15_000;
const WINDOW = 5 * 60_000;

function spec(i) {
  return {
    kind: 'worker',
    name: `w${i}`,
    resources: { cpu: 0.5, memory: 512 * 1024 * 1024 },
    replicas: null,
    autoscale: {
      min: 1,
      max: 8,
      cpu: 70,
      memory: 80,
      queue: i % 2 === 0 ? { kind: 'bullmq', name: `q${i}`, target: 50 } : null,
      scaleDownAfterMs: WINDOW,
    },
  };
}

/** A replica's reading that moves with time, so that decisions go up and down. */
const usage = (i, r, t) => ({
  cpuPercent: 20 + ((i * 7 + r * 13 + t / 1000) % 60),
  memoryBytes: (200 + i) << 20,
});

function inputs(now) {
  return Array.from({ length: PROCESSES }, (_, i) => {
    const current = 1 + (i % 8);
    return {
      now,
      current,
      min: 1,
      max: 8,
      ready: Array.from({ length: current }, (_, r) => usage(i, r, now)),
      cpu: { target: 70, request: 0.5 },
      memory: { target: 80, requestBytes: 512 * 1024 * 1024 },
      queue: i % 2 === 0 ? { target: 50, waiting: (i * 31 + now / 1000) % 400 } : null,
      // A full five-minute window of earlier recommendations.
      history: Array.from({ length: WINDOW / PERIOD }, (_, k) => ({
        at: now - k * PERIOD,
        replicas: 1 + ((i + k) % 8),
      })),
      windowMs: WINDOW,
    };
  });
}

function loop() {
  let now = 10 * WINDOW;
  const desired = new Map(Array.from({ length: PROCESSES }, (_, i) => [`w${i}`, 1 + (i % 8)]));
  const specs = Array.from({ length: PROCESSES }, (_, i) => spec(i));
  const clock = { now: () => now, monotonic: () => now };
  const autoscaler = new Autoscaler({
    clock,
    timers: { after: () => ({ cancel() {} }) },
    bus: { emit: () => 0 },
    periodMs: PERIOD,
    bounds: new AutoscaleBounds(openDb(':memory:')),
    // Stored windows as the daemon keeps them (each written on a change, else once a minute).
    windows: new AutoscaleWindows(openDb(':memory:'), clock),
    apps: () => ['bench'],
    processSpecs: () => specs,
    formation: (_app, p) => ({ desired: desired.get(p), stopped: false }),
    replicas: () =>
      specs.flatMap((s, i) =>
        Array.from({ length: desired.get(s.name) }, (_, r) => ({
          process: s.name,
          state: 'running',
          usage: usage(i, r, now),
        })),
      ),
    queueDepth: (_app, q) => Promise.resolve(Number(q.name.slice(1)) * 3),
    apply: (_app, p, d) => {
      desired.set(p, d.to);
      return Promise.resolve();
    },
    onError: (err) => {
      throw err;
    },
  });
  return {
    autoscaler,
    advance: () => (now += PERIOD),
  };
}

export default {
  title: `Autoscale decisions for ${PROCESSES} processes (one period)`,
  runs: 30,
  warmup: 5,
  setup: async () => {
    const l = loop();
    // Fill the windows before measuring: a steady-state period, not the first.
    for (let k = 0; k < WINDOW / PERIOD; k++) {
      l.advance();
      await l.autoscaler.tick();
    }
    return { sets: Array.from({ length: 8 }, (_, k) => inputs(10 * WINDOW + k * PERIOD)), k: 0, loop: l };
  },
  baseline: {
    name: 'bare formula ceil(current × util / target), 200×',
    run: async (ctx) => {
      const set = ctx.sets[ctx.k++ % ctx.sets.length];
      let sum = 0;
      for (const p of set) {
        const util = p.ready.reduce((a, r) => a + r.cpuPercent, 0) / (p.ready.length * p.cpu.request);
        sum += Math.ceil((p.current * util) / p.cpu.target);
      }
      return { metrics: { sum } };
    },
  },
  cases: [
    {
      name: 'decide() (pure), 200 processes',
      run: async (ctx) => {
        const set = ctx.sets[ctx.k++ % ctx.sets.length];
        let changes = 0;
        for (const p of set) if (decide(p).to !== p.current) changes++;
        return { metrics: { changes } };
      },
    },
    {
      name: 'Autoscaler.tick() (loop, in-memory inputs), 200 processes',
      run: async (ctx) => {
        ctx.loop.advance();
        await ctx.loop.autoscaler.tick();
      },
    },
  ],
};
