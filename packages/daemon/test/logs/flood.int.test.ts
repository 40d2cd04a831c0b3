import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogService } from '../../src/logs/index.js';
import { checkFloodFiles } from './flood-check.js';
import { useTempDir } from './helpers.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const emitter = join(root, 'bench/fixtures/logs-emit.mjs');
const tempDir = useTempDir();
/** FLOOD_SCALE=0.1 runs a tenth of the sizes (the benchmark keeps the full ones). */
const scale = Number(process.env.FLOOD_SCALE ?? 1);
const MiB = 1024 * 1024;

function emit(source: string, count: number, bytes = 0) {
  return spawn(process.execPath, [emitter, String(count), String(bytes), source], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

describe('flood', () => {
  it('stores 1,000,000 lines of one replica exactly once, in order, none split or merged', async () => {
    const dir = tempDir();
    const count = Math.round(1_000_000 * scale);
    const logs = createLogService({ dir, maxFileBytes: 1024 * MiB });
    const child = emit('emails.1', count);
    await Promise.all([
      logs.capture({ app: 'shop', process: 'emails', source: 'emails.1' }, 'out', child.stdout),
      once(child, 'exit'),
    ]);
    await logs.close();
    const reports = checkFloodFiles(dir, 'shop', 'emails', 0);
    expect(Object.fromEntries(reports)).toEqual({ 'emails.1': { count, first: 1, last: count, broken: 0 } });
  });

  it('stores four concurrent replicas of 250,000 lines each, every line once and in order per replica', async () => {
    const dir = tempDir();
    const count = Math.round(250_000 * scale);
    const logs = createLogService({ dir, maxFileBytes: 1024 * MiB });
    await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        const child = emit(`emails.${n}`, count, 60);
        await Promise.all([
          logs.capture({ app: 'shop', process: 'emails', source: `emails.${n}` }, 'out', child.stdout),
          once(child, 'exit'),
        ]);
      }),
    );
    await logs.close();
    const reports = checkFloodFiles(dir, 'shop', 'emails', 60);
    expect([...reports.keys()].sort()).toEqual(['emails.1', 'emails.2', 'emails.3', 'emails.4']);
    for (const report of reports.values())
      expect(report).toEqual({ count, first: 1, last: count, broken: 0 });
  });

  it('keeps a daemon under 100 MB RSS and the disk under the rotation cap through 200 MB of 200-byte lines', async () => {
    const dist = join(root, 'packages/daemon/dist/logs/index.js');
    // The RSS is measured in a process of its own (the vitest worker's is not the daemon's): it runs the built
    // module, with --expose-gc as the daemon runs (the service paces minor collections with it).
    expect(existsSync(dist), 'build the daemon first (npm run build)').toBe(true);
    const dir = tempDir();
    const count = Math.round(1_000_000 * scale);
    const config = {
      maxFileBytes: 4 * MiB,
      maxFiles: 3,
      emitters: [{ source: 'emails.1', count, bytes: 200 }],
    };
    const daemon = spawn(
      process.execPath,
      [
        '--expose-gc',
        join(root, 'bench/fixtures/logs-daemon.mjs'),
        pathToFileURL(dist).href,
        dir,
        JSON.stringify(config),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    daemon.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const [code] = (await once(daemon, 'exit')) as [number];
    expect(code).toBe(0);
    const result = JSON.parse(out) as { maxRssBytes: number };
    expect(result.maxRssBytes).toBeLessThan(100 * MiB);
    const logsDir = join(dir, 'bench', 'logs');
    const disk = readdirSync(logsDir).reduce((sum, f) => sum + statSync(join(logsDir, f)).size, 0);
    expect(disk).toBeLessThanOrEqual(3 * 4 * MiB + 64);
    const reports = checkFloodFiles(dir, 'bench', 'emails', 200);
    const report = reports.get('emails.1')!;
    // The oldest lines rotated away, the newest kept, and what is kept is contiguous and whole.
    expect(report.last).toBe(count);
    expect(report.broken).toBe(0);
    expect(report.first).toBe(count - report.count + 1);
    expect(report.count).toBeGreaterThan((2 * 4 * MiB) / 240);
  });
});
