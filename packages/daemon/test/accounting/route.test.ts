import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageReport } from '@nightshift/protocol';
import { routes } from '@nightshift/protocol/routes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_USAGE_SETTINGS, UsageReports } from '../../src/accounting/index.js';
import { createApi } from '../../src/api/app.js';
import type { ApiServices } from '../../src/api/services.js';
import * as store from '../../src/store/index.js';
import { inject } from '../api/inject.js';

const NOW = Date.UTC(2026, 11, 6, 12);
const DAY = 86_400_000;

describe('GET /apps/:app/usage', () => {
  let dir: string;
  let db: store.Db;
  let request: ReturnType<typeof inject>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ns-usage-route-'));
    db = store.openDb(join(dir, 'state.db'));
    const base = {
      app: 'shop',
      kind: 'replica' as const,
      process: 'w',
      region: 'local',
      cpu: 0.5,
      memory: null,
    };
    // 40 days ago (outside the default window), and 61 s yesterday.
    store.openPeriod(db, { ...base, unit: 'w.1', pid: 1, startedAt: NOW - 40 * DAY });
    store.closePeriod(db, { ...base, unit: 'w.1', pid: 1 }, NOW - 40 * DAY + 5_000, 'stopped');
    store.openPeriod(db, { ...base, unit: 'w.1', pid: 2, startedAt: NOW - DAY });
    store.closePeriod(db, { ...base, unit: 'w.1', pid: 2 }, NOW - DAY + 61_000, 'crashed');
    const clock = { now: () => NOW, monotonic: () => 0 };
    const services = {
      apps: { known: (app: string) => app },
      usageReports: new UsageReports({ db, clock, settings: DEFAULT_USAGE_SETTINGS }),
    } as unknown as ApiServices;
    request = inject(createApi(services));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the last 30 days by default, in the declared shape', async () => {
    const res = await request('/api/v1/apps/shop/usage');
    expect(res.status).toBe(200);
    const body = routes.usage.answer.parse(await res.json());
    expect(body.since).toBe(new Date(NOW - 30 * DAY).toISOString());
    expect(body.totals).toMatchObject({ replicaMinutes: 2, vcpuMinutes: 1, periods: 1 });
    expect(body.periods).toBeUndefined();
  });

  it('reads a window and lists the periods when asked', async () => {
    const res = await request(`/api/v1/apps/shop/usage?since=${NOW - 41 * DAY}&by=day&periods=1`);
    const body = (await res.json()) as UsageReport;
    expect(body.periods!.map((p) => p.replicaMinutes)).toEqual([1, 2]);
    expect(body.lines.map((l) => l.key)).toEqual(['2026-10-27', '2026-12-05']);
  });

  it('refuses a window it cannot read', async () => {
    for (const query of [`since=${NOW}&until=${NOW - 1}`, 'since=yesterday', 'by=week']) {
      const res = await request(`/api/v1/apps/shop/usage?${query}`);
      expect(res.status, query).toBe(400);
      const { error } = (await res.json()) as { error: { code: string } };
      expect(error.code, query).toBe('NS_USAGE_RANGE_INVALID');
    }
  });
});
