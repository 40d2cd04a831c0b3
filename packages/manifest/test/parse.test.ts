import { describe, expect, it, vi } from 'vitest';
import { DEFAULTS, summarize } from '../src/index.js';
import { codes, fixture, located, parse, spec } from './helpers.js';

describe('acceptance manifests', () => {
  it('validates the .paas/app.yaml shape of existing platforms unchanged', () => {
    const app = spec(fixture('good/paas-shape.yaml'));
    expect(app.name).toBe('shop');
    expect(app.redis).toBe(true);
    expect(app.web).toBeNull();
    expect(app.workers.map((w) => [w.name, w.command.argv, w.replicas])).toEqual([
      ['events', ['python', '-m', 'app.worker'], 1],
      ['emails', ['python', '-m', 'app.queue.email_sender'], 2],
    ]);
    expect(app.cron).toHaveLength(1);
    expect(app.cron[0]).toMatchObject({
      name: 'nightly',
      schedule: '0 2 * * *',
      command: { argv: ['python', '-m', 'app.jobs.nightly'], shell: false },
      timeoutMs: null,
      overlap: 'forbid',
      history: { keep: 100, days: 30 },
    });
    expect(summarize(app)).toBe('shop: 2 workers (3 replicas), 1 cron job, redis');
  });

  it('validates the full example of DESIGN §2 with units converted', () => {
    const app = spec(fixture('good/design-full.yaml'), { defaultName: 'ignored' });
    expect(app.name).toBe('shop');
    expect(app.build?.install?.argv).toEqual(['npm', 'ci']);
    expect(app.build?.command?.argv).toEqual(['npm', 'run', 'build']);
    expect(app.predeploy?.argv).toEqual(['node', 'dist/migrate.js']);
    expect(app.env).toEqual({ LOG_LEVEL: 'info' });
    expect(app.secrets).toEqual(['DATABASE_URL', 'SMTP_PASS']);
    expect(app.regions).toEqual(['eu-west', 'us-east']);
    expect(app.web).toMatchObject({
      port: 5000,
      replicas: 1,
      health: { type: 'http', port: 5000, path: '/healthz' },
    });
    const emails = app.workers[0]!;
    expect(emails.resources).toEqual({ cpu: 0.5, memory: 512 * 1024 * 1024 });
    expect(emails.health).toEqual({
      type: 'http',
      port: 8081,
      path: '/healthz',
      intervalMs: 10_000,
      timeoutMs: 2_000,
      failures: 3,
      startPeriodMs: 30_000,
    });
    expect(emails.metrics).toEqual({ port: 9464, path: '/metrics', intervalMs: 15_000 });
    expect(emails.restart).toEqual({
      backoffMs: 10_000,
      maxBackoffMs: 300_000,
      resetAfterMs: 600_000,
      maxRestarts: null,
    });
    expect(emails.stopGraceMs).toBe(30_000);
    expect(emails.env).toEqual({ WORKER_CONCURRENCY: '5', QUEUE_NAME: 'email-dispatch' });
    expect(emails.regions['us-east']).toEqual({
      replicas: null,
      autoscale: { min: 2, max: 10, cpu: null, memory: null, queue: null, scaleDownAfterMs: 300_000 },
      resources: null,
    });
    expect(app.cron[0]).toMatchObject({ timeoutMs: 3_600_000, overlap: 'forbid' });
    expect(summarize(app)).toBe('shop: web, 1 worker (2 replicas), 1 cron job, redis');
  });
});

describe('compiled spec', () => {
  it('applies every default from DEFAULTS', () => {
    const app = spec('web: { start: node server.js }\nworkers: [{ name: w, start: node w.js }]\n');
    for (const process of [app.web!, app.workers[0]!]) {
      expect(process.replicas).toBe(DEFAULTS.replicas);
      expect(process.autoscale).toBeNull();
      expect(process.restart).toEqual(DEFAULTS.restart);
      expect(process.stopGraceMs).toBe(DEFAULTS.stopGraceMs);
      expect(process.minReadyMs).toBe(DEFAULTS.minReadyMs);
      expect(process.health).toBeNull();
      expect(process.metrics).toBeNull();
      expect(process.resources).toEqual({ cpu: null, memory: null });
      expect(process.env).toEqual({});
      expect(process.regions).toEqual({});
    }
    expect(app.web!.port).toBe(DEFAULTS.web.port);
    expect(app).toMatchObject({
      build: null,
      predeploy: null,
      deploy: { watchMs: 120_000, guardCron: false },
      env: {},
      secrets: [],
      redis: false,
      regions: [],
      cron: [],
      logs: { retainBytes: null, maxAgeMs: null },
    });
  });

  it('keeps the extensions: autoscale with queue, region overrides, TCP health, list commands, cron options', () => {
    const app = spec(fixture('good/extensions.yaml'));
    expect(app.web).toMatchObject({
      port: 8000,
      replicas: 3,
      command: { argv: ['gunicorn', 'app:server', '--bind', '0.0.0.0:8000'], shell: false },
      health: { type: 'tcp', port: 8000, path: null, intervalMs: 5_000, timeoutMs: 1_000, failures: 5 },
      metrics: { port: 9100, path: '/internal/metrics' },
      minReadyMs: 0,
      stopGraceMs: 60_000,
    });
    const [invoices, mailer] = app.workers;
    expect(invoices).toMatchObject({
      replicas: null,
      autoscale: {
        min: 0,
        max: 8,
        cpu: 70,
        memory: null,
        queue: { kind: 'bullmq', name: 'invoices', target: 20 },
      },
      resources: { cpu: 0.5, memory: 2 ** 30 },
      restart: { backoffMs: 2_000, maxBackoffMs: 60_000, resetAfterMs: 1_800_000, maxRestarts: null },
      health: { type: 'tcp', port: 8081 },
      env: { WORKER_CONCURRENCY: '4' },
    });
    // An override replaces only the fields it names; the rest come from the process.
    expect(invoices!.regions['us-east']).toEqual({
      replicas: null,
      autoscale: {
        min: 0,
        max: 12,
        cpu: 70,
        memory: null,
        queue: { kind: 'bullmq', name: 'invoices', target: 20 },
        scaleDownAfterMs: 300_000,
      },
      resources: { cpu: 0.5, memory: 2 * 2 ** 30 },
    });
    expect(invoices!.regions['eu-west']).toEqual({ replicas: 1, autoscale: null, resources: null });
    // YAML anchors are shared blocks.
    expect(mailer).toMatchObject({ replicas: 0, resources: invoices!.resources, restart: invoices!.restart });
    expect(mailer!.command).toEqual({
      argv: ['/bin/sh', '-c', 'cd mail && exec node sender.js > /dev/null'],
      shell: true,
      source: 'cd mail && exec node sender.js > /dev/null',
    });
    expect(app.cron[0]).toEqual({
      name: 'invoice-run',
      schedule: '@daily',
      command: {
        argv: ['python', '-m', 'billing.jobs.run', '--all'],
        shell: false,
        source: 'python -m billing.jobs.run --all',
      },
      timeoutMs: 5_400_000,
      overlap: 'queue_one',
      history: { keep: 20, days: 7 },
      region: 'us-east',
      resources: { cpu: 1, memory: 256 * 2 ** 20 },
      env: { BATCH: '500' },
    });
    expect(app.cron[1]).toMatchObject({ schedule: '*/15 9-17 * * 1-5', command: { shell: true } });
    expect(summarize(app)).toBe('billing: web (3 replicas), 2 workers (0–8 replicas), 2 cron jobs');
  });

  it('turns env scalars into strings exactly as written', () => {
    const app = spec(fixture('good/extensions.yaml'));
    expect(app.env).toEqual({
      VERSION: '1.10',
      RETRIES: '5',
      VERBOSE: 'true',
      MASK: '0x1F',
      GREETING: 'hello world',
    });
  });

  it('is read-only all the way down', () => {
    const app = spec(fixture('good/design-full.yaml'));
    expect(Object.isFrozen(app)).toBe(true);
    expect(Object.isFrozen(app.workers[0]!.command.argv)).toBe(true);
    expect(() => {
      (app.workers[0]!.env as Record<string, string>).X = 'y';
    }).toThrow(TypeError);
  });

  it('takes the folder name when the manifest has none, and says so when neither is usable', () => {
    expect(spec('workers: [{ name: w, start: x }]\n', { defaultName: 'billing' }).name).toBe('billing');
    expect(spec('name: shop\nworkers: [{ name: w, start: x }]\n', { defaultName: 'other' }).name).toBe(
      'shop',
    );
    expect(located(parse('workers: [{ name: w, start: x }]\n', { defaultName: undefined }))).toEqual([
      '1:1 NS_MANIFEST_MISSING_KEY',
    ]);
  });

  // Defect 7 of issue 22: manifests in the wild carry no name, and folders are named `My_Shop` or `tmp.x1`.
  it.each([
    ['My_Shop', 'my-shop'],
    ['tmp.x1', 'tmp-x1'],
    ['My App', 'my-app'],
    ['shop--v2__', 'shop-v2'],
    ['2024_reports', 'reports'],
    ['-._-Billing', 'billing'],
    ['a'.repeat(39) + '_b', 'a'.repeat(39)],
    ['Café Ünïon', 'caf-n-on'],
  ])('derives a valid app name from the folder %j: %j', (folder, name) => {
    expect(spec('workers: [{ name: w, start: x }]\n', { defaultName: folder }).name).toBe(name);
  });

  it('asks for `name:` when nothing valid is left of the folder name', () => {
    for (const folder of ['2024', '___', '.', 'Ω']) {
      const result = parse('workers: [{ name: w, start: x }]\n', { defaultName: folder });
      expect(result.ok ? [] : result.errors.map((e) => [e.line, e.column, e.code])).toEqual([
        [1, 1, 'NS_MANIFEST_MISSING_KEY'],
      ]);
      if (result.ok) continue;
      expect(result.errors[0]?.message).toBe(
        `the manifest has no \`name\`, and the folder name ${JSON.stringify(folder)} has no letter to start one with`,
      );
      expect(result.errors[0]?.hint).toContain('add `name: <app>` at the top level');
    }
  });
});

describe('YAML edge cases', () => {
  it('reports an alias bomb as a YAML error instead of expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    expect(codes(parse(bomb.join('\n') + '\n'))).toEqual(['NS_MANIFEST_YAML_SYNTAX']);
  });

  it('rejects several documents in one file', () => {
    expect(codes(parse('workers: []\n---\ncron: []\n'))).toContain('NS_MANIFEST_YAML_SYNTAX');
  });

  it('reads yes/no as text (YAML 1.2) and says how to write a boolean', () => {
    const result = parse('redis: no\nworkers: [{ name: w, start: x }]\n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]?.hint).toMatch(/true or false/);
  });

  it('treats keys that mean something to JavaScript objects as plain (unknown or invalid) keys', () => {
    expect(located(parse('__proto__: { a: 1 }\nworkers: [{ name: w, start: x }]\n'))).toEqual([
      '1:1 NS_MANIFEST_UNKNOWN_KEY',
    ]);
    expect(located(parse('env: { __proto__: 1 }\nworkers: [{ name: w, start: x }]\n'))).toEqual([
      '1:8 NS_MANIFEST_ENV_NAME',
    ]);
    expect(spec('env: { constructor: 1 }\nworkers: [{ name: w, start: x }]\n').env).toEqual({
      constructor: '1',
    });
  });

  it('prints nothing itself, even for odd YAML such as a list used as a key', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      expect(located(parse('? [a, b]\n: 1\n'))).toEqual([
        '1:1 NS_MANIFEST_UNKNOWN_KEY',
        '1:1 NS_MANIFEST_NOTHING_TO_RUN',
      ]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('a root that is not a mapping is the wrong type', () => {
    expect(located(parse('- name: emails\n'))).toEqual(['1:1 NS_MANIFEST_WRONG_TYPE']);
    expect(located(parse('just text\n'))).toEqual(['1:1 NS_MANIFEST_WRONG_TYPE']);
  });
});

describe('messages', () => {
  it('suggests the key that was meant', () => {
    const result = parse(
      'workers:\n  - name: w\n    start: x\n    replica: 2\n    restart: { maxBackoff: 1m }\n',
    );
    expect(!result.ok && result.errors.map((e) => e.hint)).toEqual([
      'did you mean "replicas"?',
      'did you mean "max_backoff"?',
    ]);
  });

  it('lists the allowed keys when nothing is close', () => {
    const result = parse('workers:\n  - name: w\n    start: x\n    colour: blue\n');
    expect(!result.ok && result.errors[0]?.hint).toBe(
      'allowed in workers[0]: name, start, command, args, replicas, autoscale, resources, health, metrics, restart, stop_grace, min_ready, env, regions',
    );
  });

  it('names the path and what was expected', () => {
    const result = parse('workers:\n  - name: w\n    start: x\n    replicas: "2"\n');
    expect(!result.ok && result.errors[0]?.message).toBe(
      'workers[0].replicas: expected a number, got the text "2"',
    );
  });
});
