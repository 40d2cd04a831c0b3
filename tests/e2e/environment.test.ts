import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, waitFor } from './helpers.js';

function readEnvFile(file: string): Record<string, string> | null {
  try {
    const env: Record<string, string> = {};
    for (const line of readFileSync(file, 'utf8').split('\0')) {
      const eq = line.indexOf('=');
      if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return Object.keys(env).length ? env : null;
  } catch {
    return null;
  }
}

describe('the environment a worker sees', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('has every DESIGN §3 variable that applies, no PORT, nothing of the daemon', async () => {
    sb = new Sandbox('env');
    sb.writeApp(
      `env: { LOG_LEVEL: info, SHARED: from-app }
workers:
  - name: emails
    start: sh -c 'env -0 > "$NIGHTSHIFT_REPLICA.env"; exec sleep 1000'
    replicas: 2
    env: { SHARED: from-worker, QUEUE_NAME: email-dispatch }
    health: { port: 8081, path: /healthz }
    metrics: { port: 9464 }
`,
    );
    // Variables of the daemon's own environment must not leak into user processes.
    await sb.cliOk(['up'], { env: { DAEMON_ONLY_SECRET: 'leak-me-not', PORT: '1234' } });
    const file = join(sb.home, 'apps', sb.app, 'releases', 'v1', 'emails.2.env');
    const env = await waitFor(() => readEnvFile(file), 10_000, 'the env dump');
    expect(env).toMatchObject({
      NIGHTSHIFT_APP: sb.app,
      NIGHTSHIFT_RELEASE: 'v1',
      NIGHTSHIFT_REGION: 'local',
      NIGHTSHIFT_PROCESS: 'emails',
      NIGHTSHIFT_REPLICA: 'emails.2',
      LOG_LEVEL: 'info',
      SHARED: 'from-worker',
      QUEUE_NAME: 'email-dispatch',
      // Replica N listens on the manifest's port + N − 1 (docs/architecture.md, "Ports of replicas").
      METRICS_PORT: '9465',
      HEALTH_PORT: '8082',
      TZ: 'UTC',
    });
    const first = await waitFor(
      () => readEnvFile(join(sb.home, 'apps', sb.app, 'releases', 'v1', 'emails.1.env')),
      10_000,
      'the first replica env dump',
    );
    expect([first.METRICS_PORT, first.HEALTH_PORT]).toEqual(['9464', '8081']);
    expect(env.PORT).toBeUndefined();
    expect(env.DAEMON_ONLY_SECRET).toBeUndefined();
    expect(env.NIGHTSHIFT_HOME).toBeUndefined();
    expect(env.PATH).toBeTruthy();
    const allowed =
      /^(PATH|HOME|LANG|TZ|PWD|SHLVL|_|OLDPWD|NIGHTSHIFT_(APP|RELEASE|REGION|PROCESS|REPLICA)|LOG_LEVEL|SHARED|QUEUE_NAME|METRICS_PORT|HEALTH_PORT)$/;
    expect(Object.keys(env).filter((k) => !allowed.test(k))).toEqual([]);
    // The daemon itself runs with its malloc setting (flags.ts), which the replica above did not get.
    expect(readEnvFile(`/proc/${sb.daemonPid()}/environ`)?.MALLOC_ARENA_MAX).toBe('2');
  });
});
