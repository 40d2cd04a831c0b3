/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are read as untyped JSON, the way kubectl sees them */
import { expect, test } from 'vitest';
import type { KubeObject } from '../src/index.js';
import { semanticProblems } from './helpers/checks.js';
import { renderOk } from './helpers/render.js';
import { app, worker } from './helpers/spec.js';
import { validateObject } from './helpers/validate.js';

/** The checkers the other tests rely on must be able to fail. */

const autoscale = { min: 1, max: 3, cpu: 70, memory: null, queue: null, scaleDownAfterMs: 300_000 };
const good = () =>
  structuredClone(
    renderOk(
      app({
        workers: [
          worker('a', {
            replicas: null,
            autoscale,
            health: {
              type: 'http',
              port: 8081,
              path: '/h',
              intervalMs: 1000,
              timeoutMs: 1000,
              failures: 1,
              startPeriodMs: 0,
            },
          }),
        ],
      }),
    ),
  ) as Record<string, any>[];
const deployment = (objects: Record<string, any>[]) => objects.find((o) => o.kind === 'Deployment')!;

test('the rendered objects pass', () => {
  expect(semanticProblems(good() as KubeObject[])).toEqual([]);
});

test.each([
  [
    'version in the selector',
    (o: Record<string, any>[]) =>
      (deployment(o).spec.selector.matchLabels['app.kubernetes.io/version'] = 'v7'),
    /selector keys/,
  ],
  [
    'replicas next to an HPA',
    (o: Record<string, any>[]) => (deployment(o).spec.replicas = 2),
    /sets spec.replicas/,
  ],
  [
    'a probe on an unnamed port',
    (o: Record<string, any>[]) =>
      (deployment(o).spec.template.spec.containers[0].livenessProbe.httpGet.port = 'web'),
    /probe port/,
  ],
  [
    'a selector that is not in the pod labels',
    (o: Record<string, any>[]) =>
      (deployment(o).spec.template.metadata.labels['app.kubernetes.io/instance'] = 'x'),
    /⊄/,
  ],
  [
    'restartPolicy OnFailure',
    (o: Record<string, any>[]) => (deployment(o).spec.template.spec.restartPolicy = 'OnFailure'),
    /restartPolicy/,
  ],
  [
    'a name too long',
    (o: Record<string, any>[]) => (deployment(o).metadata.name = 'x'.repeat(64)),
    /DNS label/,
  ],
  [
    'an HPA and a ScaledObject',
    (o: Record<string, any>[]) =>
      o.push({
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 'x' },
        spec: { scaleTargetRef: { name: 'shop-a' }, triggers: [] },
      }),
    /HPA and ScaledObject/,
  ],
])('%s is caught', (_name, breakIt, problem) => {
  const objects = good();
  breakIt(objects);
  expect(semanticProblems(objects as KubeObject[]).join('\n')).toMatch(problem);
});

test('schema validation rejects a wrong type and a lowercase enum', () => {
  const objects = good();
  deployment(objects).spec.replicas = '2';
  expect(() => validateObject(deployment(objects) as KubeObject)).toThrow(/replicas must be integer/);
  const cron = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'c' },
    spec: {
      schedule: '@daily',
      concurrencyPolicy: 'forbid',
      jobTemplate: { spec: { template: { spec: { containers: [] } } } },
    },
  };
  expect(() => validateObject(cron as KubeObject)).toThrow(/concurrencyPolicy/);
});
