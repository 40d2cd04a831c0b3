import type { ProcessSpec, WebSpec } from '@nightshift/manifest';
import { meta, type RenderContext } from './context.js';
import { refuse } from './diagnostics.js';
import { checkEnvNames, podEnv, podEnvFrom } from './env.js';
import {
  MAX_NAME,
  containerName,
  isDnsLabel,
  nameAnnotation,
  objectLabels,
  processName,
  selectorLabels,
  withNameAnnotation,
} from './names.js';
import { container, podTemplate, portNames, probe } from './pod.js';
import { seconds } from './quantity.js';
import {
  checkAutoscale,
  hpa,
  regionalProcess,
  scaledObject,
  triggerAuthentication,
  triggerAuthName,
} from './scaling.js';
import type { KubeObject, RenderedObject } from './types.js';

/**
 * The web process and each worker: a Deployment, its scaler (HPA or KEDA), a PodMonitor when it has metrics,
 * and for web a ClusterIP Service. Workers get no Service and no Ingress.
 */

/**
 * The kubelet's own crash back-off: 10 s doubling to 5 min, reset after 10 min running (pod-lifecycle docs);
 * it never gives up on a container (`restartPolicy: Always`), so `max_restarts` has no equivalent.
 */
const KUBELET_RESTART = {
  backoffMs: 10_000,
  maxBackoffMs: 300_000,
  resetAfterMs: 600_000,
  maxRestarts: null,
};

function checkProcess(ctx: RenderContext, proc: ProcessSpec, field: string): void {
  const { sink, spec } = ctx;
  const name = processName(spec.name, proc.name);
  if (!isDnsLabel(containerName(proc.name))) {
    refuse(
      sink,
      'NS_RENDER_K8S_NAME_INVALID',
      `${field}.name`,
      `"${containerName(proc.name)}" is not a valid Kubernetes name`,
      'use lowercase letters, digits and "-", starting and ending with a letter or digit',
    );
  } else if (name.length > MAX_NAME) {
    refuse(
      sink,
      'NS_RENDER_K8S_NAME_TOO_LONG',
      `${field}.name`,
      `"${name}" is ${name.length} characters; Kubernetes allows ${MAX_NAME}`,
      `shorten the app's or the process's name by ${name.length - MAX_NAME}`,
    );
  }
  const fields = {
    backoffMs: 'backoff',
    maxBackoffMs: 'max_backoff',
    resetAfterMs: 'reset_after',
    maxRestarts: 'max_restarts',
  } as const;
  for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
    if (proc.restart[key] !== KUBELET_RESTART[key]) {
      refuse(
        sink,
        'NS_RENDER_K8S_RESTART_UNSUPPORTED',
        `${field}.restart.${fields[key]}`,
        `${proc.name}: Kubernetes restarts crashed containers on its own fixed curve (10s doubling to 5m, reset after 10m) and cannot use ${fields[key]}: ${proc.restart[key]}${key === 'maxRestarts' ? '' : 'ms'}`,
        `remove ${field}.restart (the defaults match Kubernetes) to render this manifest`,
      );
    }
  }
  for (const region of Object.keys(proc.regions)) {
    if (!spec.regions.includes(region)) {
      refuse(
        sink,
        'NS_RENDER_K8S_REGION_NOT_LISTED',
        `${field}.regions.${region}`,
        `${proc.name} overrides region "${region}", which is not in \`regions\``,
        `add "${region}" to \`regions\` or remove the override`,
      );
    }
  }
  checkEnvNames(spec, proc.env, `${field}.env`, sink);
}

function prometheusAnnotations(ctx: RenderContext, proc: ProcessSpec): Record<string, string> {
  if (!proc.metrics || ctx.opts.prometheus !== 'annotations') return {};
  return {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': String(proc.metrics.port),
    'prometheus.io/path': proc.metrics.path,
  };
}

function podMonitor(
  ctx: RenderContext,
  name: string,
  proc: ProcessSpec,
  ports: Map<number, string>,
): KubeObject[] {
  if (!proc.metrics || ctx.opts.prometheus !== 'podmonitor') return [];
  const endpoint = {
    port: ports.get(proc.metrics.port) ?? 'metrics',
    path: proc.metrics.path,
    // The manifest's interval, as the local daemon scrapes (default 15 s).
    interval: `${Math.max(1, Math.round(proc.metrics.intervalMs / 1000))}s`,
  };
  return [
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: meta(ctx, name, name, proc.kind),
      spec: { selector: { matchLabels: selectorLabels(ctx.labels, name) }, podMetricsEndpoints: [endpoint] },
    },
  ];
}

function service(ctx: RenderContext, name: string): RenderedObject {
  return {
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(ctx, name, name, 'web'),
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels(ctx.labels, name),
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      },
    },
    comment: `No Ingress is rendered: expose Service ${name} with your cluster's Ingress or Gateway.`,
  };
}

/** Renders one process for the context's region. */
export function renderProcess(ctx: RenderContext, proc: ProcessSpec, field: string): RenderedObject[] {
  checkProcess(ctx, proc, field);
  const { spec, opts } = ctx;
  const name = processName(spec.name, proc.name);
  // Every region's settings are checked, so a manifest is refused the same whichever region is rendered.
  for (const region of new Set([opts.region, ...spec.regions])) {
    checkAutoscale(proc.name, regionalProcess(proc, region, field), ctx.sink);
  }
  const regional = regionalProcess(proc, opts.region, field);
  const webPort = proc.kind === 'web' ? (proc as WebSpec).port : null;
  const ports = portNames(webPort, proc.metrics, proc.health);
  const env = podEnv(spec, opts, {
    role: proc.kind,
    name: proc.name,
    env: proc.env,
    port: webPort,
    metricsPort: proc.metrics?.port ?? null,
    healthPort: proc.health?.port ?? null,
  });
  const liveness = proc.health ? probe(proc.health, ports, 'liveness') : null;
  const main = container({
    name: containerName(proc.name),
    image: opts.image,
    command: proc.command,
    env,
    envFrom: podEnvFrom(spec),
    resources: regional.resources,
    ports,
    liveness,
    // Readiness only gates Service endpoints: only web has a Service.
    readiness: proc.kind === 'web' && proc.health ? probe(proc.health, ports, 'readiness') : null,
  });
  const template = podTemplate({
    labels: objectLabels(ctx.labels, name, proc.kind),
    configHash: ctx.configHash,
    extraAnnotations: { ...prometheusAnnotations(ctx, proc), ...nameAnnotation(proc.name) },
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: seconds(proc.stopGraceMs),
    container: main,
  });
  const autoscale = regional.autoscale;
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: withNameAnnotation(meta(ctx, name, name, proc.kind), proc.name),
    spec: {
      // With an HPA or KEDA the count is theirs: a `replicas` here would reset it on every `kubectl apply`.
      ...(autoscale === null ? { replicas: regional.replicas ?? 1 } : {}),
      ...(proc.minReadyMs > 0 ? { minReadySeconds: seconds(proc.minReadyMs) } : {}),
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(ctx.labels, name) },
      // Old pods stop only once new ones run: SIGTERM, then terminationGracePeriodSeconds to finish their job.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template,
    },
  };
  const owner = autoscale === null ? null : autoscale.queue ? 'KEDA ScaledObject' : 'HorizontalPodAutoscaler';
  const out: RenderedObject[] = [
    { object: deployment, comment: owner ? `No spec.replicas: the ${owner} ${name} owns the count.` : null },
  ];
  if (proc.kind === 'web') out.push(service(ctx, name));
  if (autoscale?.queue) {
    const queue = autoscale.queue;
    out.push({
      object: triggerAuthentication(meta(ctx, triggerAuthName(name), name, proc.kind), queue, opts),
      comment: null,
    });
    out.push({
      object: scaledObject(meta(ctx, name, name, proc.kind), spec, name, { ...autoscale, queue }),
      comment: null,
    });
  } else if (autoscale) {
    out.push({ object: hpa(meta(ctx, name, name, proc.kind), name, autoscale), comment: null });
  }
  for (const object of podMonitor(ctx, name, proc, ports)) out.push({ object, comment: null });
  return out;
}
