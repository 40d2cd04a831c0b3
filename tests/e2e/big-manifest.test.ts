import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, sleep } from './helpers.js';

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

describe('big manifests cost the daemon nothing for good', () => {
  let sb: Sandbox;
  afterEach(async () => {
    expect(await sb.cleanup()).toEqual([]);
  });

  it('refuses a manifest over 1 MiB before reading it, and reports 100 of 20,000 errors with a count', async () => {
    sb = new Sandbox('big');
    sb.writeApp(`workers:\n  - name: w\n    start: sleep 10000\n    stop_grace: 2s\n`);
    await sb.cliOk(['up']);
    const pid = sb.daemonPid()!;
    const manifest = join(sb.appDir, '.paas', 'app.yaml');
    const before = rssMb(pid);

    writeFileSync(
      manifest,
      `name: ${sb.app}\nenv:\n${'  PAD: x\n'.repeat(1)}${Array.from({ length: 150_000 }, (_, i) => `  K${i}: v\n`).join('')}`,
    );
    const huge = await sb.cli(['deploy', '-q']);
    expect(huge.code).toBe(1);
    expect(huge.stderr).toContain('NS_MANIFEST_TOO_LARGE');

    // Under the size limit, with 20,000 unknown keys: each deploy fails; the daemon keeps none of it.
    writeFileSync(
      manifest,
      `name: ${sb.app}\n${Array.from({ length: 20_000 }, (_, i) => `k${i}: 1\n`).join('')}workers: []\n`,
    );
    for (let i = 0; i < 5; i++) {
      const bad = await sb.cli(['deploy', '-q']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('the manifest has 20000 error(s)');
      expect(bad.stderr).toMatch(/and 19,?900 more errors/);
      expect(
        bad.stderr.split('\n').filter((l) => l.includes('NS_MANIFEST_UNKNOWN_KEY')).length,
      ).toBeLessThanOrEqual(100);
    }
    await sleep(1_500);
    const after = rssMb(pid);
    // The defect: ~136 MB more for good after such deploys; allow the ordinary noise of a running daemon.
    expect(after - before, `RSS ${before.toFixed(1)} → ${after.toFixed(1)} MB`).toBeLessThan(40);
    expect((await sb.ps()).map((r) => r.state)).toEqual(['running']);
  });
});
