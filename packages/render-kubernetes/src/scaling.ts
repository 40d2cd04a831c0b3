import type {
  AppSpec,
  AutoscaleSpec,
  ProcessSpec,
  QueueScaleSpec,
  ResourcesSpec,
} from '@nightshift/manifest';
import { refuse, type DiagnosticSink } from './diagnostics.js';
import type { ResolvedOptions } from './options.js';
import type { KubeObject } from './types.js';

/**
 * Who owns a Deployment's replica count: a fixed `spec.replicas`, an `autoscaling/v2` HPA (CPU/memory), or a
 * KEDA ScaledObject (a queue's depth, plus CPU/memory as KEDA triggers). Never two of them: KEDA creates its own
 * HPA, and a second one would fight it.
 */

/** A process's settings in one region, after its `regions.<r>` override. */
export interface RegionalProcess {
  readonly replicas: number | null;
  readonly autoscale: AutoscaleSpec | null;
  readonly resources: ResourcesSpec;
  /** Manifest paths the values came from, for errors. */
  readonly autoscaleField: string;
  readonly resourcesField: string;
}

/** Applies `regions.<region>`: a fixed count there drops autoscaling there, and the other way round. */
export function regionalProcess(proc: ProcessSpec, region: string, field: string): RegionalProcess {
  const o = proc.regions[region];
  const overrideField = `${field}.regions.${region}`;
  const replicas = o?.replicas ?? (o?.autoscale ? null : proc.replicas);
  const autoscale = o?.autoscale ?? (o?.replicas != null ? null : proc.autoscale);
  const resources: ResourcesSpec = {
    cpu: o?.resources?.cpu ?? proc.resources.cpu,
    memory: o?.resources?.memory ?? proc.resources.memory,
  };
  return {
    replicas,
    autoscale,
    resources,
    autoscaleField: o?.autoscale ? `${overrideField}.autoscale` : `${field}.autoscale`,
    resourcesField: o?.resources ? `${overrideField}.resources` : `${field}.resources`,
  };
}

/** Refuses autoscaling Kubernetes cannot carry out as written. */
export function checkAutoscale(name: string, r: RegionalProcess, sink: DiagnosticSink): void {
  const a = r.autoscale;
  if (!a) return;
  const f = r.autoscaleField;
  if (a.cpu === null && a.memory === null && a.queue === null) {
    refuse(
      sink,
      'NS_RENDER_K8S_AUTOSCALE_NO_METRIC',
      f,
      `${name} autoscales on nothing: no cpu, memory or queue target`,
      `set ${f}.cpu (e.g. 70), ${f}.memory or ${f}.queue`,
    );
  }
  // "If some of the Pod's containers do not have the relevant resource request set, CPU utilization for the
  // Pod will not be defined and the autoscaler will not take any action for that metric" (HPA docs).
  if (a.cpu !== null && r.resources.cpu === null) {
    refuse(
      sink,
      'NS_RENDER_K8S_AUTOSCALE_NEEDS_REQUEST',
      `${r.resourcesField}.cpu`,
      `${name} scales on CPU utilisation but requests no CPU, so Kubernetes cannot compute the utilisation`,
      `set ${r.resourcesField}.cpu (e.g. 0.5)`,
    );
  }
  if (a.memory !== null && r.resources.memory === null) {
    refuse(
      sink,
      'NS_RENDER_K8S_AUTOSCALE_NEEDS_REQUEST',
      `${r.resourcesField}.memory`,
      `${name} scales on memory utilisation but requests no memory`,
      `set ${r.resourcesField}.memory (e.g. 512Mi)`,
    );
  }
  if (a.queue === null && a.min === 0) {
    refuse(
      sink,
      'NS_RENDER_K8S_AUTOSCALE_MIN_ZERO',
      `${f}.min`,
      `${name} would scale to zero on CPU/memory alone, which a HorizontalPodAutoscaler cannot do`,
      `set ${f}.min to 1, or scale on a queue (${f}.queue), which can wake it from zero`,
    );
  }
}

/**
 * Worker scale-down: one pod a minute after the calm window (`scale_down_after`, five minutes by default, the
 * same window the local autoscaler uses), so in-flight jobs are not killed in bursts.
 */
function scaleDown(a: AutoscaleSpec): Record<string, unknown> {
  return {
    stabilizationWindowSeconds: Math.round(a.scaleDownAfterMs / 1000),
    policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
  };
}

function resourceMetric(name: 'cpu' | 'memory', utilisation: number): Record<string, unknown> {
  return {
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization: utilisation } },
  };
}

/** An `autoscaling/v2` HPA on CPU and/or memory utilisation. */
export function hpa(metadata: KubeObject['metadata'], target: string, a: AutoscaleSpec): KubeObject {
  const metrics = [];
  if (a.cpu !== null) metrics.push(resourceMetric('cpu', a.cpu));
  if (a.memory !== null) metrics.push(resourceMetric('memory', a.memory));
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: a.min,
      maxReplicas: a.max,
      metrics,
      behavior: { scaleDown: scaleDown(a) },
    },
  };
}

/** The TriggerAuthentication's name for a process's queue trigger. */
export function triggerAuthName(target: string): string {
  return `${target}-queue`;
}

/**
 * BullMQ's waiting jobs are the Redis list `<prefix>:<queue>:wait`. The SDK's prefix is `<app>:bull` under the
 * app's own Redis namespace (`redis: true`), else BullMQ's default `bull`.
 */
export function bullWaitList(spec: AppSpec, queue: string): string {
  return `${spec.redis ? `${spec.name}:bull` : 'bull'}:${queue}:wait`;
}

function queueTrigger(spec: AppSpec, queue: QueueScaleSpec, auth: string): Record<string, unknown> {
  const authenticationRef = { name: auth };
  if (queue.kind === 'bullmq') {
    const metadata = { listName: bullWaitList(spec, queue.name), listLength: String(queue.target) };
    return { type: 'redis', metadata, authenticationRef };
  }
  const metadata = {
    protocol: 'auto',
    mode: 'QueueLength',
    value: String(queue.target),
    queueName: queue.name,
  };
  return { type: 'rabbitmq', metadata, authenticationRef };
}

/** Where KEDA reads the queue's credentials: keys of the Secret the user names. */
export function triggerAuthentication(
  metadata: KubeObject['metadata'],
  queue: QueueScaleSpec,
  opts: ResolvedOptions,
): KubeObject {
  const secretTargetRef =
    queue.kind === 'bullmq'
      ? ['address', 'username', 'password'].map((key) => ({ parameter: key, name: opts.redisSecret, key }))
      : [{ parameter: 'host', name: opts.rabbitmqSecret, key: 'url' }];
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata,
    spec: { secretTargetRef },
  };
}

/** A KEDA ScaledObject on the queue's depth, with CPU/memory as extra triggers (KEDA owns the HPA). */
export function scaledObject(
  metadata: KubeObject['metadata'],
  spec: AppSpec,
  target: string,
  a: AutoscaleSpec & { readonly queue: QueueScaleSpec },
): KubeObject {
  const triggers: Record<string, unknown>[] = [queueTrigger(spec, a.queue, triggerAuthName(target))];
  if (a.cpu !== null)
    triggers.push({ type: 'cpu', metricType: 'Utilization', metadata: { value: String(a.cpu) } });
  if (a.memory !== null)
    triggers.push({ type: 'memory', metricType: 'Utilization', metadata: { value: String(a.memory) } });
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicaCount: a.min,
      maxReplicaCount: a.max,
      pollingInterval: 30,
      cooldownPeriod: 300,
      // If the queue cannot be read, keep a working floor instead of freezing at whatever count it had.
      fallback: { failureThreshold: 3, replicas: Math.max(1, a.min) },
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: scaleDown(a) } } },
      triggers,
    },
  };
}
