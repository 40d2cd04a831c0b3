/* eslint-disable @typescript-eslint/no-unsafe-return -- rendered objects are read as untyped JSON, the way kubectl sees them */
/** Environment, ConfigMap, Redis wiring, predeploy and network policies of a render. */
import { describe, expect, test } from 'vitest';
import { renderKubernetes } from '../src/index.js';
import { find, renderOk } from './helpers/render.js';
import { app, cmd, cron, web, worker } from './helpers/spec.js';

describe('configuration', () => {
  test('app env is a ConfigMap; process env wins over it; a config change changes the pods’ hash', () => {
    const base = app({
      env: { LOG_LEVEL: 'info' },
      workers: [worker('emails', { env: { LOG_LEVEL: 'debug' } })],
    });
    const objects = renderOk(base);
    expect(find(objects, 'ConfigMap', 'shop-env').data).toEqual({ LOG_LEVEL: 'info' });
    const pod = find(objects, 'Deployment', 'shop-emails').spec.template;
    expect(pod.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: 'shop-env' } }]);
    expect(pod.spec.containers[0].env[0]).toEqual({ name: 'LOG_LEVEL', value: 'debug' });
    const hash = (spec: typeof base) =>
      find(renderOk(spec), 'Deployment', 'shop-emails').spec.template.metadata.annotations[
        'nightshift.dev/config-hash'
      ];
    expect(hash(base)).toBe(hash(base));
    expect(hash({ ...base, env: { LOG_LEVEL: 'warn' } })).not.toBe(hash(base));
  });

  test('redis: true wires REDIS_URL from the Secret the user names, and the key prefix', () => {
    const objects = renderOk(app({ redis: true, workers: [worker('emails')] }), {
      redisSecret: 'cache-credentials',
    });
    const env = find(objects, 'Deployment', 'shop-emails').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({
      name: 'REDIS_URL',
      valueFrom: { secretKeyRef: { name: 'cache-credentials', key: 'url' } },
    });
    expect(env).toContainEqual({ name: 'NIGHTSHIFT_REDIS_PREFIX', value: 'shop:' });
  });

  test('predeploy is a Job named per release, warned about ordering', () => {
    const spec = app({ predeploy: cmd('node dist/migrate.js'), web: web() });
    const result = renderKubernetes(spec, { image: 'shop:v1' });
    if (!result.ok) throw new Error('refused');
    const job = result.objects.map((o) => o.object).find((o) => o.kind === 'Job');
    expect(job?.metadata.name).toMatch(/^shop-predeploy-[0-9a-f]{8}$/);
    expect(result.warnings.map((w) => w.code)).toContain('NS_RENDER_K8S_PREDEPLOY_ORDER');
    const next = renderKubernetes(spec, { image: 'shop:v2' });
    const nextJob = next.ok ? next.objects.map((o) => o.object).find((o) => o.kind === 'Job') : undefined;
    expect(nextJob?.metadata.name).not.toBe(job?.metadata.name);
  });
});

describe('network policies', () => {
  test('ingress is denied to worker and cron pods; the metrics port is opened to the monitoring namespace', () => {
    const spec = app({
      web: web(),
      workers: [worker('emails', { metrics: { port: 9464, path: '/metrics', intervalMs: 15_000 } })],
      cron: [cron('nightly', '@daily')],
    });
    const objects = renderOk(spec, { monitoringNamespace: 'observability' });
    const deny = find(objects, 'NetworkPolicy', 'shop-deny-ingress').spec;
    expect(deny).not.toHaveProperty('ingress');
    expect(deny.podSelector.matchExpressions[0].values).toEqual(['worker', 'cron', 'predeploy']);
    const allow = find(objects, 'NetworkPolicy', 'shop-allow-metrics').spec;
    expect(allow.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'observability',
    });
    expect(allow.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 'metrics' }]);
    expect(renderOk(spec, { prometheus: 'none' }).some((o) => o.metadata.name === 'shop-allow-metrics')).toBe(
      false,
    );
  });

  test('--prometheus annotations puts prometheus.io/* on the pods instead of a PodMonitor', () => {
    const objects = renderOk(
      app({ workers: [worker('emails', { metrics: { port: 9464, path: '/metrics', intervalMs: 15_000 } })] }),
      { prometheus: 'annotations' },
    );
    expect(objects.some((o) => o.kind === 'PodMonitor')).toBe(false);
    expect(find(objects, 'Deployment', 'shop-emails').spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9464',
      'prometheus.io/path': '/metrics',
    });
  });
});
