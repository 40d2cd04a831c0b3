import { describe, expect, test } from 'vitest';
import { FIXTURES, loadFixture } from './helpers/fixtures.js';
import { find, refusals, renderOk } from './helpers/render.js';
import { app, cron, worker } from './helpers/spec.js';

// Defect 9 of issue 22: worker and cron names may hold `_` and capitals (`stale_cleanup`, the seeds' manifests);
// Kubernetes names are DNS labels. The render maps them (lower case, `_` → `-`) and keeps the manifest's name in
// the `nightshift.dev/name` annotation, so the object can be traced back to the manifest entry.

const NAME = 'nightshift.dev/name';

describe('names that are not DNS labels', () => {
  test('the seeds’ cron job stale_cleanup renders as CronJob <app>-stale-cleanup', () => {
    const seed = loadFixture(FIXTURES, 'seed-indexer.yaml');
    const objects = renderOk(seed.spec);
    const job = find(objects, 'CronJob', 'fixture-stale-cleanup');
    expect(job.metadata.annotations).toEqual({ [NAME]: 'stale_cleanup' });
    const pod = job.spec.jobTemplate.spec.template;
    expect(pod.metadata.annotations[NAME]).toBe('stale_cleanup');
    expect(pod.metadata.labels['app.kubernetes.io/instance']).toBe('fixture-cron-stale-cleanup');
    expect(pod.spec.containers[0].name).toBe('stale-cleanup');
    // A name that is already a label gets no annotation: existing renders do not change (no rollout).
    const indexer = find(objects, 'Deployment', 'fixture-indexer');
    expect(indexer.metadata.annotations).toBeUndefined();
    expect(indexer.spec.template.metadata.annotations[NAME]).toBeUndefined();
  });

  test('a worker named Sync_Emails is Deployment shop-sync-emails with its container sync-emails', () => {
    const objects = renderOk(app({ workers: [worker('Sync_Emails', { replicas: 2 })] }));
    const d = find(objects, 'Deployment', 'shop-sync-emails');
    expect(d.metadata.annotations).toEqual({ [NAME]: 'Sync_Emails' });
    expect(d.spec.template.metadata.annotations[NAME]).toBe('Sync_Emails');
    expect(d.spec.template.spec.containers[0].name).toBe('sync-emails');
    // The process still sees the name it has in the manifest, as it does under the local daemon.
    const env = d.spec.template.spec.containers[0].env as { name: string; value?: string }[];
    expect(env.find((e) => e.name === 'NIGHTSHIFT_PROCESS')?.value).toBe('Sync_Emails');
  });

  test('hourly_sync of the second seed', () => {
    const seed = loadFixture(FIXTURES, 'seed-hourly.yaml');
    const objects = renderOk(seed.spec);
    expect(objects.filter((o) => o.kind === 'CronJob').map((o) => o.metadata.name)).toEqual([
      'fixture-nightly',
      'fixture-hourly-sync',
    ]);
  });

  test('two names with one DNS label are refused (a spec built without the manifest’s own check)', () => {
    const spec = app({ workers: [worker('a_b'), worker('A-b')], cron: [cron('nightly', '@daily')] });
    expect(refusals(spec).map((e) => [e.code, e.field, e.message])).toEqual([
      [
        'NS_RENDER_K8S_NAME_CLASH',
        'workers[1].name',
        'workers[1].name and workers[0].name would both be named "shop-a-b" in Kubernetes',
      ],
    ]);
  });
});
