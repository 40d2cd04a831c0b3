import type { UsageGrouping, UsageReport } from '@nightshift/protocol';
import type { Clock } from '../runtime/clock.js';
import * as store from '../store/index.js';
import { usageReport } from './pure/report.js';
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

  report(app: string, q: UsageQuery): UsageReport {
    const periods = store.periodsBetween(this.#db, app, q.since, q.until);
    return usageReport(periods, {
      app,
      ...q,
      now: this.#clock.now(),
      defaults: this.#settings.defaults,
      prices: this.#settings.prices,
    });
  }
}
