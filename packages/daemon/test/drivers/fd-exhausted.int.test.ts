import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const DIST = new URL('../../dist/', import.meta.url);
const FIXTURE = new URL('./fixtures/fd-exhausted.mjs', import.meta.url);

describe('local driver at the file descriptor limit', () => {
  it('calls a live group alive when /proc cannot be listed, instead of throwing from its poll', async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        'sh',
        ['-c', 'ulimit -n 128 && exec "$0" "$1" "$2"', process.execPath, FIXTURE.pathname, DIST.href],
        { timeout: 30_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    expect(JSON.parse(out)).toEqual({ exhausted: true, alive: true });
  });
});
