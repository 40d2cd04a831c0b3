import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from './helpers.js';

describe('redis: true before the daemon provides Redis', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('is said at every deploy, on the CLI and in the timeline, never silently ignored', async () => {
    sb = new Sandbox('redis');
    sb.writeApp(`redis: true\nworkers:\n  - name: w\n    start: sleep 10000\n    stop_grace: 2s\n`);
    const up = await sb.cliOk(['up']);
    expect(up.stderr).toMatch(/warning: `redis: true` is not provided/);
    const deploy = await sb.cliOk(['deploy', '--json']);
    expect((JSON.parse(deploy.stdout) as { warnings: string[] }).warnings[0]).toContain('no REDIS_URL');
    const events = JSON.parse((await sb.cliOk(['events', '--json'])).stdout) as {
      type: string;
      message: string;
    }[];
    expect(events.filter((e) => e.type === 'deploy:warning').map((e) => e.message.split(':')[0])).toEqual([
      'v2',
      'v1',
    ]);
    const env = (await sb.cliOk(['run', '--', 'sh', '-c', 'echo "url=${REDIS_URL:-none}"'])).stdout;
    expect(env).toContain('url=none');
  });
});
