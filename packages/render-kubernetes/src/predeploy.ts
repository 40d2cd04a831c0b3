import { createHash } from 'node:crypto';
import { meta, type RenderContext } from './context.js';
import { warn } from './diagnostics.js';
import { podEnv, podEnvFrom } from './env.js';
import { objectLabels } from './names.js';
import { container, podTemplate } from './pod.js';
import type { RenderedObject } from './types.js';

/**
 * `predeploy` (web's release hook) as a Job named per release: Jobs are immutable, so each release needs its own.
 * Argo CD runs it before the sync through the hook annotations; plain `kubectl apply` does not order objects,
 * which the render says in a warning.
 */
export function renderPredeploy(ctx: RenderContext): RenderedObject[] {
  const { spec, opts } = ctx;
  if (!spec.predeploy) return [];
  const hash = createHash('sha256')
    .update(JSON.stringify([opts.release, opts.image, spec.predeploy.argv, ctx.configHash]))
    .digest('hex')
    .slice(0, 8);
  const name = `${spec.name}-predeploy-${hash}`;
  const instance = `${spec.name}-predeploy`;
  const env = podEnv(spec, opts, {
    role: 'predeploy',
    name: 'predeploy',
    env: spec.web?.env ?? {},
    port: null,
    metricsPort: null,
    healthPort: null,
  });
  const main = container({
    name: 'predeploy',
    image: opts.image,
    command: spec.predeploy,
    env,
    envFrom: podEnvFrom(spec),
    resources: spec.web?.resources ?? { cpu: null, memory: null },
    ports: new Map(),
    liveness: null,
    readiness: null,
  });
  const template = podTemplate({
    labels: objectLabels(ctx.labels, instance, 'predeploy'),
    configHash: ctx.configHash,
    extraAnnotations: {},
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: null,
    container: main,
  });
  const metadata = {
    ...meta(ctx, name, instance, 'predeploy'),
    annotations: {
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    },
  };
  warn(
    ctx.sink,
    'NS_RENDER_K8S_PREDEPLOY_ORDER',
    'predeploy',
    `predeploy is rendered as Job ${name}; kubectl apply does not wait for it before starting web`,
    `apply it first and wait (kubectl wait --for=condition=complete job/${name}), or let Argo CD run it as a PreSync hook`,
  );
  return [
    {
      object: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata,
        spec: { backoffLimit: 0, ttlSecondsAfterFinished: 86_400, template },
      },
      comment:
        'predeploy: run once per release before web starts. Apply and wait for it first (Argo CD: PreSync hook).',
    },
  ];
}
