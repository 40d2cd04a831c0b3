import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, waitFor } from './helpers.js';

const IDLE = `workers:
  - name: idle
    start: sleep 10000
    replicas: 3
    stop_grace: 2s
`;

describe('scale (real processes)', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('goes 3 → 5 → 1 → 0 → 2, seen by ps and by the OS, stopping the highest numbers', async () => {
    sb = new Sandbox('scale');
    sb.writeApp(IDLE);
    // `up` answers once its processes exist: it shows them running, never `starting`.
    const up = JSON.parse((await sb.cliOk(['up', '--json'])).stdout) as { ps: { state: string }[] };
    expect(up.ps.map((r) => r.state)).toEqual(['running', 'running', 'running']);
    const events = JSON.parse((await sb.cliOk(['events', '--json', '--app', sb.app])).stdout) as {
      id: number;
      type: string;
    }[];
    const finished = events.find((e) => e.type === 'deploy:finished')!.id;
    const started = events.filter((e) => e.type === 'replica:started').map((e) => e.id);
    expect(started).toHaveLength(3);
    expect(Math.max(...started)).toBeLessThan(finished);
    const check = async (n: number) => {
      await waitFor(
        async () => {
          const ps = await sb.ps();
          const running = ps.filter((r) => r.state === 'running');
          const os = sb.replicaLeaders();
          return (
            running.length === n &&
            ps.length === n &&
            os.size === n &&
            [...os.values()].every((p) => p.length === 1)
          );
        },
        15_000,
        `${n} replicas`,
      );
      const names = (await sb.ps()).map((r) => r.replica).sort();
      expect(names).toEqual(Array.from({ length: n }, (_, i) => `idle.${i + 1}`).sort());
      expect([...sb.replicaLeaders().keys()].sort()).toEqual(names);
    };
    await check(3);
    await sb.cliOk(['scale', 'idle=5']);
    await check(5);
    await sb.cliOk(['scale', 'idle-4']);
    await check(1);
    await sb.cliOk(['scale', 'idle', '--replicas', '0']);
    await check(0);
    await sb.cliOk(['scale', 'idle+2']);
    await check(2);
    const human = (await sb.cliOk(['ps'])).stdout;
    expect(human).toContain('idle: 2 replicas by `scale` (the manifest says 3)');
  });

  it('brings replicas back when scaled up, or started, while they are still stopping', async () => {
    sb = new Sandbox('scale-back');
    // Takes a second to stop, so the scale up and the start arrive while both replicas are stopping.
    sb.writeApp(
      `workers:\n  - name: slow\n    start: sh -c 'trap "sleep 1; exit 0" TERM; while true; do sleep 0.1; done'\n    replicas: 2\n    stop_grace: 5s\n`,
    );
    await sb.cliOk(['up']);
    const running = (n: number) =>
      waitFor(
        async () => (await sb.ps()).filter((r) => r.state === 'running').length === n,
        15_000,
        `${n} running`,
      );
    await running(2);
    await sb.cliOk(['scale', 'slow=0']);
    await sb.cliOk(['scale', 'slow=2']);
    await running(2);
    await sb.cliOk(['stop', 'slow']);
    await sb.cliOk(['start', 'slow']);
    await running(2);
    expect(sb.replicaLeaders().size).toBe(2);
  });

  it('rejects an unknown process and a malformed change with a clear error', async () => {
    sb = new Sandbox('scalebad');
    sb.writeApp(IDLE);
    await sb.cliOk(['up']);
    const unknown = await sb.cli(['scale', 'nope=2']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NS_PROCESS_NOT_FOUND');
    expect(unknown.stderr).toContain('idle');
    const bad = await sb.cli(['scale', 'idle==2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('NS_SCALE_INVALID');
  });
});
