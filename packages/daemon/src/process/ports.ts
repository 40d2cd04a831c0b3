/**
 * Replicas of one process run side by side on one machine, so each needs its own health and metrics port: the
 * manifest's port is replica 1's, and replica N listens on port + N − 1 (docs/architecture.md, "Ports of
 * replicas"). Kubernetes runs one replica per pod, so the render keeps the manifest's port for all of them.
 */
export function replicaPort(base: number, index: number): number {
  return base + index - 1;
}

/** The replica number of a replica name such as `orders.3`. */
export function replicaIndex(replica: string): number {
  const n = Number(replica.slice(replica.lastIndexOf('.') + 1));
  return Number.isInteger(n) && n >= 1 ? n : 1;
}
