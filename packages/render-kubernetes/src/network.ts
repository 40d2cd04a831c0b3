import { meta, type RenderContext } from './context.js';
import type { RenderedObject } from './types.js';

/**
 * Workers, cron runs and the predeploy Job accept no inbound connections: nothing calls them. An isolated pod
 * still takes the kubelet's probes (they come from its node), but not Prometheus, which runs in another pod:
 * a second, additive policy opens the metrics port to the monitoring namespace.
 */
export function renderNetworkPolicies(ctx: RenderContext, hasIsolatedPods: boolean): RenderedObject[] {
  const { spec, opts } = ctx;
  if (!hasIsolatedPods) return [];
  const podSelector = (components: string[]) => ({
    matchLabels: { 'app.kubernetes.io/name': spec.name },
    matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: components }],
  });
  const deny = `${spec.name}-deny-ingress`;
  const out: RenderedObject[] = [
    {
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta(ctx, deny, deny, 'network'),
        // No `ingress` list: nothing is allowed in. Egress stays open (workers reach Redis, databases…).
        spec: { podSelector: podSelector(['worker', 'cron', 'predeploy']), policyTypes: ['Ingress'] },
      },
      comment: 'Enforced only by a CNI that implements NetworkPolicy (Calico, Cilium, …).',
    },
  ];
  const scraped = spec.workers.some((w) => w.metrics !== null) && opts.prometheus !== 'none';
  if (scraped) {
    const allow = `${spec.name}-allow-metrics`;
    const from = [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': opts.monitoringNamespace } } },
    ];
    out.push({
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta(ctx, allow, allow, 'network'),
        spec: {
          podSelector: podSelector(['worker']),
          policyTypes: ['Ingress'],
          ingress: [{ from, ports: [{ protocol: 'TCP', port: 'metrics' }] }],
        },
      },
      comment: null,
    });
  }
  return out;
}
