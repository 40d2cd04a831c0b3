import type { UsageGrouping, UsageReport } from '@nightshift/protocol';
import type { Clock } from '../runtime/clock.js';
import * as store from '../store/index.js';
import { groupedReport, usageReport } from './pure/report.js';
import type { UsageSettings } from './settings.js';

export interface UsageQuery {
  /** Epoch ms; the window is `[since, until)`. */
  readonly since: number;
  readonly until: number;
  readonly by: UsageGrouping;
  readonly withPeriods: boolean;
}

/** The billed usage of an app, read from the recorded periods (`GET /apps/:app/usage`). */
export class UsageReports {
  #db: store.Db;
  #clock: Clock;
  #settings: UsageSettings;

  constructor(deps: { db: store.Db; clock: Clock; settings: UsageSettings }) {
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#settings = deps.settings;
  }

  /** Now, on the daemon's clock: what a window ending "now" ends at. */
  now(): number {
    return this.#clock.now();
  }

  /**
   * Sums in the store unless every period is asked for (then each is read and listed): a year of periods is
   * hundreds of thousands of rows, and only their sums leave SQLite.
   */
  report(app: string, q: UsageQuery): UsageReport {
    const now = this.#clock.now();
    const options = { app, ...q, now, defaults: this.#settings.defaults, prices: this.#settings.prices };
    if (q.withPeriods) return usageReport(store.periodsBetween(this.#db, app, q.since, q.until), options);
    return groupedReport(store.usageGroups(this.#db, app, { ...q, now }, q.by), options);
  }
}
