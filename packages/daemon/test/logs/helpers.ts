import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach } from 'vitest';

/** A temp directory per test, removed after it. */
export function useTempDir(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-logs-'));
    dirs.push(dir);
    return dir;
  };
}

/** A readable that yields `chunks` then ends, as a pipe would. */
export function pipeOf(...chunks: Array<string | Buffer>): PassThrough {
  const pass = new PassThrough();
  for (const chunk of chunks) pass.write(chunk);
  pass.end();
  return pass;
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; set: (ms: number) => void } {
  let value = start;
  return { now: () => value, set: (ms) => void (value = ms) };
}
