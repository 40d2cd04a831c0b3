import { parseManifest, type AppSpec } from '@nightshift/manifest';
import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../../src/process/environment.js';
import { replicaIndex, replicaPort } from '../../src/process/ports.js';

describe('ports of replicas', () => {
  it('gives replica N the manifest port + N − 1', () => {
    expect(replicaPort(9100, 1)).toBe(9100);
    expect(replicaPort(9100, 3)).toBe(9102);
    expect(replicaIndex('orders.3')).toBe(3);
    expect(replicaIndex('my.app.12')).toBe(12);
  });

  it('sets HEALTH_PORT and METRICS_PORT per replica in the environment', () => {
    const spec = specOf();
    const env = (replica: string) =>
      buildEnvironment(
        { spec, release: '1', region: 'local', base: {}, configVars: {}, secrets: {}, redis: null },
        { kind: 'worker', process: 'w', replica },
      );
    expect([env('w.1').METRICS_PORT, env('w.1').HEALTH_PORT]).toEqual(['9100', '8081']);
    expect([env('w.4').METRICS_PORT, env('w.4').HEALTH_PORT]).toEqual(['9103', '8084']);
  });
});

function specOf(): AppSpec {
  const result = parseManifest(
    'name: p\nworkers:\n  - name: w\n    start: node w.js\n    health: { port: 8081, path: /healthz }\n    metrics: { port: 9100 }\n',
    { file: 'app.yaml', now: new Date() },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.spec;
}
