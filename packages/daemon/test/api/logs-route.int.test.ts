import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorBody, LogStreamMessage } from '@nightshift/protocol';
import { createApi } from '../../src/api/app.js';
import type { ApiServices } from '../../src/api/services.js';
import { createLogService, type LogService } from '../../src/logs/index.js';
import { useInject } from './inject.js';

/** GET /apps/:app/logs over a real log service with 120,000 stored lines. */
describe('GET /apps/:app/logs', () => {
  const serve = useInject();
  let dir: string;
  let logs: LogService;
  afterEach(async () => {
    await logs.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function api() {
    dir = mkdtempSync(join(tmpdir(), 'ns-logs-route-'));
    logs = createLogService({ dir });
    const pipe = new PassThrough();
    pipe.end(Array.from({ length: 120_000 }, (_, i) => `${i + 1}\n`).join(''));
    await logs.capture({ app: 'shop', process: 'emails', source: 'emails.1' }, 'out', pipe);
    return serve(createApi({ logs } as unknown as ApiServices));
  }

  it('streams any n as NDJSON, entries then an end with their count', async () => {
    const app = await api();
    const res = await app.request('/api/v1/apps/shop/logs?n=110000', {
      headers: { accept: 'application/x-ndjson' },
    });
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const messages = (await res.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as LogStreamMessage);
    expect(messages.at(-1)).toEqual({ type: 'end', count: 110_000 });
    const entries = messages.flatMap((m) => (m.type === 'entry' ? [m.entry.message] : []));
    expect(entries.length).toBe(110_000);
    expect(entries[0]).toBe('10001');
    expect(entries.at(-1)).toBe('120000');
  });

  it('refuses a JSON array over 100,000 lines, and an n that is not a count, saying what to do instead', async () => {
    const app = await api();
    const big = await app.request('/api/v1/apps/shop/logs?n=100001');
    expect(big.status).toBe(400);
    const body = (await big.json()) as ErrorBody;
    expect(body.error.code).toBe('NS_API_BAD_REQUEST');
    expect(body.error.message).toContain('n=100001 is over the 100000 lines a JSON answer holds');
    expect(body.error.hint).toContain('application/x-ndjson');
    expect(((await (await app.request('/api/v1/apps/shop/logs?n=100000')).json()) as unknown[]).length).toBe(
      100_000,
    );
    for (const n of ['0', '-3', '2.5', 'lots']) {
      const res = await app.request(`/api/v1/apps/shop/logs?n=${n}`, {
        headers: { accept: 'application/x-ndjson' },
      });
      expect(res.status, n).toBe(400);
      expect(((await res.json()) as ErrorBody).error.message).toContain(
        `n "${n}" is not a whole number of lines`,
      );
    }
  });
});
