import { describe, expect, test } from 'vitest';
import { renderKubernetes } from '../src/index.js';
import { refusals, renderOk } from './helpers/render.js';
import { app, cron, worker } from './helpers/spec.js';

/** A field Kubernetes cannot express is refused with an error naming it, never dropped. */

function codes(spec: Parameters<typeof refusals>[0], options = {}): [string, string][] {
  return refusals(spec, options).map((e) => [e.code, e.field]);
}

describe('refusals name the manifest field', () => {
  test('overlap: queue_one', () => {
    expect(codes(app({ cron: [cron('nightly', '@daily', { overlap: 'queue_one' })] }))).toEqual([
      ['NS_RENDER_K8S_OVERLAP_UNSUPPORTED', 'cron[0].overlap'],
    ]);
  });

  test('a restart curve other than the kubelet’s', () => {
    const restart = { backoffMs: 1000, maxBackoffMs: 300_000, resetAfterMs: 60_000, maxRestarts: null };
    expect(codes(app({ workers: [worker('emails', { restart })] }))).toEqual([
      ['NS_RENDER_K8S_RESTART_UNSUPPORTED', 'workers[0].restart.backoff'],
      ['NS_RENDER_K8S_RESTART_UNSUPPORTED', 'workers[0].restart.reset_after'],
    ]);
  });

  test('names past the 63 (Deployment) and 52 (CronJob) limits', () => {
    const name = 'a'.repeat(40);
    expect(codes(app({ name, workers: [worker('b'.repeat(22)), worker('c'.repeat(23))] }))).toEqual([
      ['NS_RENDER_K8S_NAME_TOO_LONG', 'workers[1].name'],
    ]);
    expect(
      codes(app({ name, cron: [cron('d'.repeat(11), '@daily'), cron('e'.repeat(12), '@daily')] })),
    ).toEqual([['NS_RENDER_K8S_NAME_TOO_LONG', 'cron[1].name']]);
  });

  test('schedules Kubernetes reads differently, or that never fire', () => {
    expect(codes(app({ cron: [cron('a', '0 0 * * 7'), cron('b', '0 0 30 2 *')] }))).toEqual([
      ['NS_RENDER_K8S_SCHEDULE_UNSUPPORTED', 'cron[0].schedule'],
      ['NS_RENDER_K8S_SCHEDULE_NEVER', 'cron[1].schedule'],
    ]);
  });

  test('autoscaling Kubernetes cannot carry out', () => {
    const none = { min: 1, max: 3, cpu: null, memory: null, queue: null, scaleDownAfterMs: 300_000 };
    const zero = { min: 0, max: 3, cpu: 70, memory: null, queue: null, scaleDownAfterMs: 300_000 };
    const spec = app({
      workers: [
        worker('a', { replicas: null, autoscale: none }),
        worker('b', { replicas: null, autoscale: zero }),
        worker('c', {
          replicas: null,
          autoscale: { ...zero, min: 1 },
          resources: { cpu: null, memory: null },
        }),
      ],
    });
    expect(codes(spec)).toEqual([
      ['NS_RENDER_K8S_AUTOSCALE_NO_METRIC', 'workers[0].autoscale'],
      ['NS_RENDER_K8S_AUTOSCALE_MIN_ZERO', 'workers[1].autoscale.min'],
      ['NS_RENDER_K8S_AUTOSCALE_NEEDS_REQUEST', 'workers[2].resources.cpu'],
    ]);
  });

  test('a region override points at the override in the message path', () => {
    const autoscale = { min: 1, max: 3, cpu: 70, memory: null, queue: null, scaleDownAfterMs: 300_000 };
    const spec = app({
      regions: ['eu', 'us'],
      workers: [
        worker('a', {
          replicas: null,
          autoscale,
          regions: {
            us: { replicas: null, autoscale: { ...autoscale, min: 0 }, resources: null },
            mars: { replicas: 1, autoscale: null, resources: null },
          },
        }),
      ],
    });
    expect(codes(spec, { region: 'us' })).toEqual([
      ['NS_RENDER_K8S_REGION_NOT_LISTED', 'workers[0].regions.mars'],
      ['NS_RENDER_K8S_AUTOSCALE_MIN_ZERO', 'workers[0].regions.us.autoscale.min'],
    ]);
  });

  test('env the platform sets, and a name both plain and secret', () => {
    const spec = app({
      secrets: ['TOKEN'],
      env: { TOKEN: 'x' },
      workers: [worker('a', { env: { PORT: '1', NIGHTSHIFT_APP: 'x' } })],
    });
    expect(codes(spec)).toEqual([
      ['NS_RENDER_K8S_ENV_SECRET_CONFLICT', 'env.TOKEN'],
      ['NS_RENDER_K8S_ENV_RESERVED', 'workers[0].env.PORT'],
      ['NS_RENDER_K8S_ENV_RESERVED', 'workers[0].env.NIGHTSHIFT_APP'],
    ]);
  });

  test('two processes that would share a Kubernetes identity', () => {
    expect(codes(app({ workers: [worker('cron-sync')], cron: [cron('sync', '@daily')] }))).toEqual([
      ['NS_RENDER_K8S_NAME_CLASH', 'cron[0].name'],
    ]);
  });

  test('options: unknown region, digest-only image, bad namespace', () => {
    const spec = app({ regions: ['eu'], workers: [worker('a')] });
    expect(codes(spec, { region: 'us' })).toEqual([['NS_RENDER_K8S_UNKNOWN_REGION', '--region']]);
    expect(codes(spec, { image: 'reg/shop@sha256:abc' })).toEqual([
      ['NS_RENDER_K8S_RELEASE_REQUIRED', '--release'],
    ]);
    expect(renderOk(spec, { image: 'reg/shop@sha256:abc', release: 'v9' }).length).toBeGreaterThan(0);
    expect(codes(spec, { namespace: 'Shop_NS' })).toEqual([['NS_RENDER_K8S_INVALID_OPTION', '--namespace']]);
  });
});

test('every refusal carries a message and a hint', () => {
  const result = renderKubernetes(app({ cron: [cron('nightly', '@daily', { overlap: 'queue_one' })] }), {
    image: 'x:1',
  });
  expect(result.ok).toBe(false);
  if (!result.ok)
    for (const e of result.errors) expect([e.message.length > 10, e.hint.length > 10]).toEqual([true, true]);
});

test('an image registry port is not mistaken for a tag', () => {
  const objects = renderOk(app({ workers: [worker('a')] }), { image: 'registry:5000/team/shop' });
  expect(objects[0]?.metadata.labels?.['app.kubernetes.io/version']).toBe('latest');
});
