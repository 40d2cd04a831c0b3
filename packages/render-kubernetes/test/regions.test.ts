/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- rendered objects are read as untyped JSON, the way kubectl sees them */
import { expect, test } from 'vitest';
import type { KubeObject } from '../src/index.js';
import { find, renderOk } from './helpers/render.js';
import { app, cron, web, worker } from './helpers/spec.js';

const autoscale = { min: 2, max: 6, cpu: 70, memory: null, queue: null, scaleDownAfterMs: 300_000 };

const spec = app({
  env: { LOG_LEVEL: 'info' },
  secrets: ['DATABASE_URL'],
  redis: true,
  regions: ['eu-west', 'us-east'],
  web: web(),
  workers: [
    worker('emails', {
      replicas: null,
      autoscale,
      regions: {
        'us-east': { replicas: null, autoscale: { ...autoscale, min: 1, max: 10 }, resources: null },
      },
    }),
    worker('reports', {
      replicas: 2,
      regions: { 'us-east': { replicas: 4, autoscale: null, resources: { cpu: 1, memory: null } } },
    }),
  ],
  cron: [cron('nightly', '0 2 * * *')],
});

/** Replaces what may differ between regions, so the rest can be compared whole. */
function normalise(objects: readonly KubeObject[]): unknown {
  const text = JSON.stringify(objects)
    .replaceAll('"us-east"', '"REGION"')
    .replaceAll('"eu-west"', '"REGION"');
  const copy = JSON.parse(text) as Record<string, any>[];
  for (const o of copy) {
    if (o.kind === 'HorizontalPodAutoscaler') [o.spec.minReplicas, o.spec.maxReplicas] = ['MIN', 'MAX'];
  }
  return copy;
}

test('two regions differ only in the region label/env, the HPA bounds and the overridden process', () => {
  const eu = renderOk(spec, { region: 'eu-west' });
  const us = renderOk(spec, { region: 'us-east' });
  const euHpa = find(eu, 'HorizontalPodAutoscaler', 'shop-emails').spec;
  const usHpa = find(us, 'HorizontalPodAutoscaler', 'shop-emails').spec;
  expect([euHpa.minReplicas, euHpa.maxReplicas]).toEqual([2, 6]);
  expect([usHpa.minReplicas, usHpa.maxReplicas]).toEqual([1, 10]);
  expect(find(us, 'Deployment', 'shop-emails').spec.template.spec.containers[0].env).toContainEqual({
    name: 'NIGHTSHIFT_REGION',
    value: 'us-east',
  });
  expect(find(eu, 'Deployment', 'shop-emails').metadata.labels['nightshift.dev/region']).toBe('eu-west');

  // The cron runs in the first region only; the per-region replicas/resources override changes `reports`.
  expect(eu.filter((o) => o.kind === 'CronJob')).toHaveLength(1);
  expect(us.filter((o) => o.kind === 'CronJob')).toHaveLength(0);
  const usReports = find(us, 'Deployment', 'shop-reports').spec;
  expect(usReports.replicas).toBe(4);
  expect(usReports.template.spec.containers[0].resources.requests).toEqual({ cpu: '1', memory: '512Mi' });

  const shared = (objects: readonly KubeObject[]) =>
    objects.filter((o) => o.kind !== 'CronJob' && o.metadata.name !== 'shop-reports');
  expect(normalise(shared(us))).toEqual(normalise(shared(eu)));
});

test('the config hash does not depend on the region: a region is not a config change', () => {
  const hash = (region: string) =>
    find(renderOk(spec, { region }), 'Deployment', 'shop-web').spec.template.metadata.annotations;
  expect(hash('us-east')).toEqual(hash('eu-west'));
});

test('without regions the render targets "default" and no region is required', () => {
  const objects = renderOk(app({ workers: [worker('a')] }));
  expect(objects[0]?.metadata.labels?.['nightshift.dev/region']).toBe('default');
});
