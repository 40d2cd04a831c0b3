import { afterEach, describe, expect, it } from 'vitest';
import { procEnv, Sandbox, waitFor } from './helpers.js';

async function leader(sb: Sandbox, replica: string): Promise<{ pid: number; env: Record<string, string> }> {
  const pid = await waitFor(() => sb.replicaLeaders().get(replica)?.[0] ?? 0, 15_000, `${replica} running`);
  return { pid, env: procEnv(pid) ?? {} };
}

describe('config vars end to end', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('layer over the manifest env, restart rolling or stage, list with values, and never share a name with a secret', async () => {
    sb = new Sandbox('cfg');
    sb.writeApp(`env: { LOG_LEVEL: info, REGION_NAME: app-level }
workers:
  - name: emails
    start: sleep 1000
    env: { REGION_NAME: worker-level, QUEUE_NAME: emails }
    stop_grace: 1s
`);
    await sb.cliOk(['up']);
    const before = await leader(sb, 'emails.1');
    expect(before.env).toMatchObject({ LOG_LEVEL: 'info', REGION_NAME: 'worker-level' });

    const set = await sb.cliOk(['config', 'set', 'LOG_LEVEL=debug', 'REGION_NAME=from-config', 'EXTRA=a=b']);
    expect(set.stderr).toContain('set EXTRA, LOG_LEVEL, REGION_NAME');
    const after = await leader(sb, 'emails.1');
    expect(after.pid).not.toBe(before.pid);
    // DESIGN §3: manifest env → process env → config vars (later wins).
    expect(after.env).toMatchObject({
      LOG_LEVEL: 'debug',
      REGION_NAME: 'from-config',
      QUEUE_NAME: 'emails',
      EXTRA: 'a=b',
    });

    const ls = await sb.cliOk(['config', 'ls']);
    expect(ls.stdout).toMatch(/^NAME\s+VALUE\s+UPDATED\s+STATUS\n/);
    expect(ls.stdout).toMatch(/\nLOG_LEVEL\s+debug\s+\S+\s+deployed\n/);

    await sb.cliOk(['config', 'unset', 'EXTRA', '--no-restart']);
    const staged = await leader(sb, 'emails.1');
    expect(staged.pid).toBe(after.pid);
    expect(staged.env.EXTRA).toBe('a=b');
    const json = JSON.parse((await sb.cliOk(['config', 'ls', '--json'])).stdout) as {
      name: string;
      value: string;
    }[];
    expect(json.map((v) => [v.name, v.value])).toEqual([
      ['LOG_LEVEL', 'debug'],
      ['REGION_NAME', 'from-config'],
    ]);
    await sb.cliOk(['restart']);
    const restarted = await leader(sb, 'emails.1');
    expect(restarted.pid).not.toBe(after.pid);
    expect(restarted.env.EXTRA).toBeUndefined();

    await sb.cliOk(['secrets', 'set', 'API_KEY=api-key-value-1']);
    const conflict = await sb.cli(['config', 'set', 'API_KEY=plain']);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('NS_SECRET_CONFIG_CONFLICT');
    const reserved = await sb.cli(['config', 'set', 'PORT=80']);
    expect([reserved.code, reserved.stderr.includes('NS_CONFIG_NAME_INVALID')]).toEqual([1, true]);
    const usage = await sb.cli(['config', 'set', 'NO_EQUALS']);
    expect(usage.code).toBe(2);
    const events = (await sb.cliOk(['events', '--json'])).stdout;
    expect(events).toContain('"config:changed"');
  });
});
