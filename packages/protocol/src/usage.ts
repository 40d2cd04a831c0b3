/** How `GET /apps/:app/usage` groups its lines (`nightshift usage --by`). */
export type UsageGrouping = 'process' | 'day' | 'region';

/** Per-minute prices from the daemon's configuration (`NIGHTSHIFT_USAGE_PRICES`). */
export interface UsagePrices {
  readonly vcpuMinute: number;
  readonly gibMinute: number;
}

/** Billed amounts: each period rounded up to whole minutes, at least one, then weighted by what it requested. */
export interface UsageAmounts {
  readonly replicaMinutes: number;
  readonly vcpuMinutes: number;
  readonly gibMinutes: number;
  /** null when the daemon has no price table. */
  readonly cost: number | null;
  /** How many periods the amounts add up. */
  readonly periods: number;
}

/** One line of the report: a process type or cron job, a UTC day (`2026-12-06`) or a region. */
export interface UsageLine extends UsageAmounts {
  readonly key: string;
}

/** One runtime period of a replica or a cron run, as far as it lies inside the report's window. */
export interface UsagePeriod extends UsageAmounts {
  readonly kind: 'replica' | 'cron';
  /** The process type, or the cron job. */
  readonly process: string;
  /** `emails.2`, or `run 41` for a cron run. */
  readonly unit: string;
  readonly region: string;
  readonly startedAt: string;
  /** null while it runs (it counts up to the report's time). */
  readonly endedAt: string | null;
  /** `stopped`, `crashed`, `finished`, `daemon-stopped`, or `daemon-lost` (ended at the last heartbeat). */
  readonly endReason: string | null;
  /** Requested cores and bytes, after the defaults for what the manifest left unset. */
  readonly cpu: number;
  readonly memoryBytes: number;
}

export interface UsageReport {
  readonly app: string;
  readonly since: string;
  readonly until: string;
  readonly by: UsageGrouping;
  /** What a period counts when its process did not set `resources.cpu` / `resources.memory`. */
  readonly defaults: { readonly cpu: number; readonly memoryBytes: number };
  readonly prices: UsagePrices | null;
  readonly lines: readonly UsageLine[];
  readonly totals: UsageAmounts;
  /** Every period counted, oldest first; only when asked for (`periods=1`, `--periods`). */
  readonly periods?: readonly UsagePeriod[];
}
