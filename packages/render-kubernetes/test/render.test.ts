/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return -- rendered objects are read as untyped JSON, the way kubectl sees them */
import { describe, expect, test } from 'vitest';
import { renderKubernetes } from '../src/index.js';
import { semanticProblems } from './helpers/checks.js';
import { find, renderOk } from './helpers/render.js';
import { app, cmd, cron, web, worker } from './helpers/spec.js';
import { validateObject } from './helpers/validate.js';

const queue = (kind: 'bullmq' | 'rabbitmq') => ({ kind, name: 'emails', target: 20 });

describe('workers', () => {
  test('a fixed-count worker is a Deployment with replicas, no Service, restartPolicy Always', () => {
    const objects = renderOk(
      app({ workers: [worker('emails', { replicas: 3, stopGraceMs: 90_500, minReadyMs: 5000 })] }),
    );
    const d = find(objects, 'Deployment', 'shop-emails');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.minReadySeconds).toBe(5);
    expect(d.spec.template.spec.restartPolicy).toBe('Always');
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(91);
    expect(objects.filter((o) => o.kind === 'Service' || o.kind === 'Ingress')).toEqual([]);
    const c = d.spec.template.spec.containers[0];
    expect([c.command, c.args]).toEqual([['node'], ['dist/worker.js']]);
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '512Mi' } });
    expect(c.env.map((e: { name: string }) => e.name)).not.toContain('PORT');
  });

  test('a shell command keeps sh -c in command and the script in args', () => {
    const objects = renderOk(
      app({ workers: [worker('emails', { command: cmd('node a.js && node b.js') })] }),
    );
    const c = find(objects, 'Deployment', 'shop-emails').spec.template.spec.containers[0];
    expect([c.command, c.args]).toEqual([['/bin/sh', '-c'], ['node a.js && node b.js']]);
  });

  test('CPU/memory autoscaling is an HPA and the Deployment has no replicas', () => {
    const autoscale = { min: 2, max: 8, cpu: 70, memory: 80, queue: null, scaleDownAfterMs: 300_000 };
    const objects = renderOk(app({ workers: [worker('emails', { replicas: null, autoscale })] }));
    expect(find(objects, 'Deployment', 'shop-emails').spec).not.toHaveProperty('replicas');
    const h = find(objects, 'HorizontalPodAutoscaler', 'shop-emails');
    expect([h.spec.minReplicas, h.spec.maxReplicas]).toEqual([2, 8]);
    expect(h.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
      ['cpu', 70],
      ['memory', 80],
    ]);
    expect(objects.some((o) => o.kind === 'ScaledObject')).toBe(false);
  });

  test.each(['bullmq', 'rabbitmq'] as const)(
    'a %s queue is a KEDA ScaledObject, never also an HPA',
    (kind) => {
      const autoscale = {
        min: 0,
        max: 10,
        cpu: 60,
        memory: null,
        queue: queue(kind),
        scaleDownAfterMs: 300_000,
      };
      const objects = renderOk(
        app({ redis: true, workers: [worker('emails', { replicas: null, autoscale })] }),
      );
      expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
      expect(find(objects, 'Deployment', 'shop-emails').spec).not.toHaveProperty('replicas');
      const so = find(objects, 'ScaledObject', 'shop-emails');
      expect(so.spec.minReplicaCount).toBe(0);
      const [trigger, cpu] = so.spec.triggers;
      if (kind === 'bullmq')
        expect(trigger.metadata).toEqual({ listName: 'shop:bull:emails:wait', listLength: '20' });
      else expect(trigger.metadata).toMatchObject({ queueName: 'emails', mode: 'QueueLength', value: '20' });
      expect(cpu).toEqual({ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } });
      const auth = find(objects, 'TriggerAuthentication', trigger.authenticationRef.name);
      const secret = kind === 'bullmq' ? 'shop-redis' : 'shop-rabbitmq';
      expect(auth.spec.secretTargetRef.every((r: any) => r.name === secret)).toBe(true);
      expect(semanticProblems(objects)).toEqual([]);
    },
  );

  test('without redis: true the BullMQ list has BullMQ’s default prefix (the app brings its own Redis)', () => {
    const autoscale = {
      min: 1,
      max: 4,
      cpu: null,
      memory: null,
      queue: queue('bullmq'),
      scaleDownAfterMs: 300_000,
    };
    const objects = renderOk(
      app({ redis: false, workers: [worker('emails', { replicas: null, autoscale })] }),
    );
    expect(find(objects, 'ScaledObject', 'shop-emails').spec.triggers[0].metadata.listName).toBe(
      'bull:emails:wait',
    );
  });

  test('health becomes a liveness probe on the named port; metrics a PodMonitor on its named port', () => {
    const health = {
      type: 'tcp' as const,
      port: 8081,
      path: null,
      intervalMs: 15_000,
      timeoutMs: 1500,
      failures: 4,
      startPeriodMs: 0,
    };
    const objects = renderOk(
      app({
        workers: [worker('emails', { health, metrics: { port: 9464, path: '/m', intervalMs: 15_000 } })],
      }),
    );
    const c = find(objects, 'Deployment', 'shop-emails').spec.template.spec.containers[0];
    expect(c.ports).toEqual([
      { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
      { name: 'health', containerPort: 8081, protocol: 'TCP' },
    ]);
    expect(c.livenessProbe).toEqual({
      tcpSocket: { port: 'health' },
      periodSeconds: 15,
      timeoutSeconds: 2,
      failureThreshold: 4,
    });
    expect(c).not.toHaveProperty('readinessProbe');
    expect(find(objects, 'PodMonitor', 'shop-emails').spec.podMetricsEndpoints).toEqual([
      { port: 'metrics', path: '/m', interval: '15s' },
    ]);
  });

  test('health and metrics on one port share one named port', () => {
    const health = {
      type: 'http' as const,
      port: 9464,
      path: '/healthz',
      intervalMs: 10_000,
      timeoutMs: 2000,
      failures: 3,
      startPeriodMs: 0,
    };
    const objects = renderOk(
      app({
        workers: [
          worker('emails', { health, metrics: { port: 9464, path: '/metrics', intervalMs: 15_000 } }),
        ],
      }),
    );
    const c = find(objects, 'Deployment', 'shop-emails').spec.template.spec.containers[0];
    expect(c.ports).toHaveLength(1);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(semanticProblems(objects)).toEqual([]);
  });
});

describe('web', () => {
  test('web is a Deployment plus a ClusterIP Service, with PORT and a readiness probe', () => {
    const result = renderKubernetes(app({ web: web() }), { image: 'shop:v1' });
    if (!result.ok) throw new Error('refused');
    const service = result.objects.find((o) => o.object.kind === 'Service');
    expect(service?.comment).toMatch(/No Ingress/);
    const objects = result.objects.map((o) => o.object);
    expect(find(objects, 'Service', 'shop-web').spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ targetPort: 'http' }],
    });
    const c = find(objects, 'Deployment', 'shop-web').spec.template.spec.containers[0];
    expect(c.env).toContainEqual({ name: 'PORT', value: '5000' });
    expect(c.readinessProbe).toEqual(c.livenessProbe);
    expect(objects.some((o) => o.kind === 'NetworkPolicy')).toBe(false); // nothing to isolate: web takes traffic
  });
});

describe('cron', () => {
  test('a CronJob: UTC, policy from overlap, deadline from the schedule, one attempt, history kept', () => {
    const spec = app({
      cron: [
        cron('nightly', '0 2 * * *', {
          overlap: 'forbid',
          timeoutMs: 3_600_000,
          history: { keep: 5, days: 14 },
        }),
        cron('sweep', '*/5 * * * *', { overlap: 'replace', timeoutMs: null }),
        cron('ping', '@hourly', { overlap: 'allow' }),
      ],
    });
    const objects = renderOk(spec);
    const nightly = find(objects, 'CronJob', 'shop-nightly').spec;
    expect(nightly).toMatchObject({
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 86_400,
    });
    expect([nightly.successfulJobsHistoryLimit, nightly.failedJobsHistoryLimit]).toEqual([5, 5]);
    expect(nightly.jobTemplate.spec).toMatchObject({
      backoffLimit: 0,
      activeDeadlineSeconds: 3600,
      ttlSecondsAfterFinished: 14 * 86_400,
    });
    expect(nightly.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    const sweep = find(objects, 'CronJob', 'shop-sweep').spec;
    expect([sweep.concurrencyPolicy, sweep.startingDeadlineSeconds]).toEqual(['Replace', 300]);
    expect(sweep.jobTemplate.spec).not.toHaveProperty('activeDeadlineSeconds');
    expect(find(objects, 'CronJob', 'shop-ping').spec.concurrencyPolicy).toBe('Allow');
    const env = nightly.jobTemplate.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name);
    expect(env).toEqual(expect.arrayContaining(['NIGHTSHIFT_RUN_ID', 'NIGHTSHIFT_TRIGGER']));
    expect(env).not.toContain('NIGHTSHIFT_REPLICA');
  });

  test('a cron runs in its own region, or the first listed, and nowhere else', () => {
    const spec = app({
      regions: ['eu-west', 'us-east'],
      cron: [cron('nightly', '0 2 * * *'), cron('report', '0 8 * * 1', { region: 'us-east' })],
    });
    const cronsIn = (region: string) =>
      renderOk(spec, { region })
        .filter((o) => o.kind === 'CronJob')
        .map((o) => o.metadata.name);
    expect(cronsIn('eu-west')).toEqual(['shop-nightly']);
    expect(cronsIn('us-east')).toEqual(['shop-report']);
  });

  test('a worker and a cron of the same name never select each other’s pods', () => {
    const objects = renderOk(app({ workers: [worker('sync')], cron: [cron('sync', '0 * * * *')] }));
    expect(semanticProblems(objects)).toEqual([]);
  });
});

test('every object of a full app validates against the Kubernetes, KEDA and prometheus-operator models', () => {
  const spec = app({
    env: { A: '1' },
    secrets: ['DATABASE_URL'],
    redis: true,
    predeploy: cmd('node dist/migrate.js'),
    web: web({ metrics: { port: 9100, path: '/metrics', intervalMs: 15_000 } }),
    workers: [
      worker('emails', {
        replicas: null,
        autoscale: { min: 1, max: 5, cpu: 70, memory: 75, queue: queue('bullmq'), scaleDownAfterMs: 300_000 },
      }),
      worker('reports', {
        replicas: null,
        autoscale: { min: 1, max: 3, cpu: null, memory: 70, queue: null, scaleDownAfterMs: 300_000 },
      }),
    ],
    cron: [cron('nightly', '0 2 * * *')],
  });
  const objects = renderOk(spec);
  for (const object of objects) validateObject(object);
  expect(semanticProblems(objects)).toEqual([]);
});
