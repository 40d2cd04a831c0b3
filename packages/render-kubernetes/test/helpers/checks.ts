/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return -- rendered objects are read as untyped JSON, the way kubectl sees them */
import type { KubeObject } from '../../src/index.js';

/**
 * Semantic checks schema validation cannot make (kubernetes-models accepts a selector that matches no pod, a
 * probe on a port that does not exist, `replicas` next to an HPA…). Returns every violation found.
 */

type Obj = Record<string, any>;

const SELECTOR_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance'];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

interface Pod {
  owner: string;
  labels: Record<string, string>;
  spec: Obj;
}

function podsOf(o: KubeObject): Pod[] {
  const spec = o.spec as Obj | undefined;
  const owner = `${o.kind}/${o.metadata.name}`;
  if (o.kind === 'Deployment' || o.kind === 'Job')
    return [{ owner, labels: spec?.template.metadata.labels, spec: spec?.template.spec }];
  if (o.kind === 'CronJob') {
    const t = spec?.jobTemplate.spec.template;
    return [{ owner, labels: t.metadata.labels, spec: t.spec }];
  }
  return [];
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function portNames(pod: Pod): Set<string> {
  return new Set(pod.spec.containers.flatMap((c: Obj) => (c.ports ?? []).map((p: Obj) => p.name)));
}

export function semanticProblems(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  const pods = objects.flatMap(podsOf);
  const byName = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata.name}`;
    const spec = (o.spec ?? {}) as Obj;
    const max = o.kind === 'CronJob' ? 52 : 63;
    const subdomain = ['ConfigMap', 'Secret', 'TriggerAuthentication'].includes(o.kind);
    if (!subdomain && (!DNS_LABEL.test(o.metadata.name) || o.metadata.name.length > max))
      problems.push(`${id}: name is not a DNS label of ${max} at most`);
    for (const [k, v] of Object.entries(o.metadata.labels ?? {}))
      if (!LABEL_VALUE.test(v) || v.length > 63) problems.push(`${id}: label ${k}=${v} invalid`);
    // Workload selectors: exactly name + instance, and a subset of their own pod's labels.
    const selector: Record<string, string> | null =
      o.kind === 'Deployment' || o.kind === 'PodMonitor'
        ? spec.selector.matchLabels
        : o.kind === 'Service'
          ? spec.selector
          : null;
    if (selector) {
      if (Object.keys(selector).sort().join() !== [...SELECTOR_KEYS].sort().join())
        problems.push(`${id}: selector keys ${Object.keys(selector).join()}`);
      const selected = pods.filter((p) => p.owner.startsWith('Deployment/') && matches(selector, p.labels));
      if (selected.length !== 1) problems.push(`${id}: selector matches ${selected.length} pod templates`);
      if (o.kind === 'Deployment' && !matches(selector, podsOf(o)[0]!.labels))
        problems.push(`${id}: selector ⊄ its pod labels`);
      const matching = pods.filter((p) => matches(selector, p.labels));
      if (matching.length !== 1) problems.push(`${id}: selector matches ${matching.length} pods of any kind`);
      if (o.kind === 'PodMonitor') {
        for (const ep of spec.podMetricsEndpoints)
          if (!selected.every((p) => portNames(p).has(ep.port)))
            problems.push(`${id}: port ${ep.port} missing on its pods`);
      }
      if (o.kind === 'Service') {
        for (const port of spec.ports)
          if (!selected.every((p) => portNames(p).has(port.targetPort)))
            problems.push(`${id}: targetPort ${port.targetPort} missing`);
      }
    }
    if (o.kind === 'NetworkPolicy' && JSON.stringify(spec.podSelector).includes('app.kubernetes.io/version'))
      problems.push(`${id}: version in selector`);
    if (o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject') {
      const target = byName('Deployment', spec.scaleTargetRef.name);
      if (!target) problems.push(`${id}: target missing`);
      else if ((target.spec as Obj).replicas !== undefined)
        problems.push(`${id}: target ${spec.scaleTargetRef.name} sets spec.replicas`);
      const other = o.kind === 'ScaledObject' ? 'HorizontalPodAutoscaler' : 'ScaledObject';
      if (
        objects.some(
          (x) => x.kind === other && (x.spec as Obj).scaleTargetRef.name === spec.scaleTargetRef.name,
        )
      )
        problems.push(`${id}: HPA and ScaledObject on one target`);
    }
  }
  for (const pod of pods) {
    const expected = pod.owner.startsWith('Deployment/') ? 'Always' : 'Never';
    if (pod.spec.restartPolicy !== expected)
      problems.push(`${pod.owner}: restartPolicy ${pod.spec.restartPolicy}`);
    const names = portNames(pod);
    for (const c of pod.spec.containers) {
      if (!DNS_LABEL.test(c.name)) problems.push(`${pod.owner}: container name ${c.name}`);
      for (const p of [c.livenessProbe, c.readinessProbe].filter(Boolean)) {
        const port = (p.httpGet ?? p.tcpSocket).port;
        if (!names.has(port)) problems.push(`${pod.owner}: probe port ${port} is not a named port`);
      }
    }
  }
  return problems;
}
