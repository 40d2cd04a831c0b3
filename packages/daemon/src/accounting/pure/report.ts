import type {
  UsageAmounts,
  UsageGrouping,
  UsageLine,
  UsagePeriod,
  UsagePrices,
  UsageReport,
} from '@nightshift/protocol';
import { billedMinutes, clip } from './minutes.js';

const GIB = 1024 ** 3;
const DAY_MS = 86_400_000;

/** A stored period as the report reads it (store/usage.ts `StoredPeriod`). */
export interface PeriodInput {
  readonly kind: 'replica' | 'cron';
  readonly process: string;
  readonly unit: string;
  readonly region: string;
  readonly cpu: number | null;
  readonly memory: number | null;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly endReason: string | null;
}

export interface ReportOptions {
  readonly app: string;
  readonly since: number;
  readonly until: number;
  /** Periods still open count up to here. */
  readonly now: number;
  readonly by: UsageGrouping;
  /** What an unset `resources.cpu` (cores) and `resources.memory` (bytes) count as. */
  readonly defaults: { readonly cpu: number; readonly memoryBytes: number };
  readonly prices: UsagePrices | null;
  readonly withPeriods: boolean;
}

/**
 * Periods already folded by the store (store/usage.ts `usageGroups`): how many, and their billed minutes, per
 * line key and requested resources. The store rounds each period exactly as `billedMinutes` does (a test holds
 * the two to each other); summing in SQL keeps a year of periods from crossing into JavaScript row by row.
 */
export interface BilledGroup {
  readonly key: string;
  readonly cpu: number | null;
  readonly memory: number | null;
  readonly periods: number;
  readonly minutes: number;
}

/**
 * The usage report from periods: each clipped to the window, rounded up to whole minutes (at least one),
 * weighted by the cores and GiB it requested, then summed per line and in total; with `withPeriods`, each one is
 * listed too. A period belongs to the UTC day it starts in (after clipping), not split at midnight: splitting
 * would bill a minimum on each side.
 */
export function usageReport(periods: readonly PeriodInput[], o: ReportOptions): UsageReport {
  const groups: BilledGroup[] = [];
  const listed: UsagePeriod[] = [];
  for (const p of periods) {
    const part = clip(p.startedAt, p.endedAt, { since: o.since, until: o.until }, o.now);
    if (part === null) continue;
    const group = {
      key: o.by === 'process' ? p.process : o.by === 'region' ? p.region : dayOf(part.start),
      cpu: p.cpu,
      memory: p.memory,
      periods: 1,
      minutes: billedMinutes(part.end - part.start),
    };
    groups.push(group);
    if (o.withPeriods) {
      const one = new Sum();
      one.add(weigh(group, o));
      listed.push({
        kind: p.kind,
        process: p.process,
        unit: p.unit,
        region: p.region,
        startedAt: iso(p.startedAt),
        endedAt: p.endedAt === null ? null : iso(p.endedAt),
        endReason: p.endReason,
        cpu: p.cpu ?? o.defaults.cpu,
        memoryBytes: p.memory ?? o.defaults.memoryBytes,
        ...one.amounts(o.prices),
      });
    }
  }
  const report = groupedReport(groups, o);
  return o.withPeriods ? { ...report, periods: listed } : report;
}

/**
 * The report from billed groups: lines and totals add the same amounts, so the totals are exactly the sum of the
 * lines and of the periods behind them.
 */
export function groupedReport(groups: readonly BilledGroup[], o: ReportOptions): UsageReport {
  const lines = new Map<string, Sum>();
  const totals = new Sum();
  for (const g of groups) {
    const amounts = weigh(g, o);
    let line = lines.get(g.key);
    if (!line) lines.set(g.key, (line = new Sum()));
    line.add(amounts);
    totals.add(amounts);
  }
  return {
    app: o.app,
    since: iso(o.since),
    until: iso(o.until),
    by: o.by,
    defaults: o.defaults,
    prices: o.prices,
    lines: [...lines]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, sum]): UsageLine => ({ key, ...sum.amounts(o.prices) })),
    totals: totals.amounts(o.prices),
  };
}

interface Weighed {
  readonly periods: number;
  readonly minutes: number;
  readonly vcpu: number;
  readonly gib: number;
}

function weigh(g: BilledGroup, o: ReportOptions): Weighed {
  const cpu = g.cpu ?? o.defaults.cpu;
  const memory = g.memory ?? o.defaults.memoryBytes;
  return { periods: g.periods, minutes: g.minutes, vcpu: g.minutes * cpu, gib: (g.minutes * memory) / GIB };
}

/** Running sums of billed amounts; rounded once, when read, so no rounding error adds up. */
class Sum {
  minutes = 0;
  vcpu = 0;
  gib = 0;
  periods = 0;

  add(a: Weighed): void {
    this.minutes += a.minutes;
    this.vcpu += a.vcpu;
    this.gib += a.gib;
    this.periods += a.periods;
  }

  amounts(prices: UsagePrices | null): UsageAmounts {
    return {
      replicaMinutes: this.minutes,
      vcpuMinutes: round(this.vcpu),
      gibMinutes: round(this.gib),
      cost: prices === null ? null : round(this.vcpu * prices.vcpuMinute + this.gib * prices.gibMinute),
      periods: this.periods,
    };
  }
}

/** Six decimals: below any price's resolution, and free of binary noise (0.1 + 0.2). */
function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `2026-12-06`: the UTC day holding `ms`. */
function dayOf(ms: number): string {
  return iso(Math.floor(ms / DAY_MS) * DAY_MS).slice(0, 10);
}
