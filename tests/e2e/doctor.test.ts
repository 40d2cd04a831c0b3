import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from './helpers.js';

// `nightshift doctor` next to a running daemon: the daemon's answer and its own view of cgroups count.

interface Result {
  check: string;
  status: string;
  detail: string;
}

describe('nightshift doctor with a daemon', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('finds the daemon running and its home private', async () => {
    sb = new Sandbox('doctor');
    sb.writeApp('workers:\n  - name: idle\n    start: sleep 10000\n    stop_grace: 1s\n');
    await sb.cliOk(['up']);
    const res = await sb.cli(['doctor', '--json']);
    const results = JSON.parse(res.stdout) as Result[];
    const of = (check: string) => results.find((r) => r.check === check);
    expect(of('daemon')).toMatchObject({ status: 'ok', detail: expect.stringContaining('running, pid') });
    expect(of('home')).toMatchObject({ status: 'ok', detail: expect.stringContaining('mode 0700') });
    expect(of('cgroups')?.detail).toContain('seen by daemon');
    expect(res.code).toBe(results.some((r) => r.status === 'fail') ? 1 : 0);
  });
});
