import { declaredError, ErrorCodes, NightshiftError } from '@nightshift/protocol';
import type { EventBus } from '../events/index.js';
import type { ServerFacts } from './checks.js';
import type { MemorySample, PressureEvent } from './monitor.js';

/**
 * Back-pressure as timeline events. The memory is shared, so every app that uses it gets each event in its own
 * timeline (the daemon's, app '', when none does).
 */
export function reportPressure(
  bus: EventBus,
  apps: readonly string[],
  events: readonly PressureEvent[],
  sample: MemorySample,
): void {
  const data = { usedMemory: sample.usedMemory, maxmemory: sample.maxmemory };
  for (const event of events) {
    for (const app of apps.length > 0 ? apps : ['']) {
      if (event.type === 'redis:memory-high') {
        bus.emit({
          type: 'redis:memory-high',
          app,
          message: `Redis memory at ${Math.round(event.ratio * 100)} % of maxmemory`,
          data: { ...data, ratio: event.ratio },
        });
      } else {
        bus.emit({
          type: 'redis:rejecting',
          app,
          message: `Redis refused ${event.rejected} writes for memory (OOM command not allowed)`,
          data: { ...data, rejected: event.rejected, total: sample.rejectedWrites },
        });
      }
    }
  }
}

/**
 * An external Redis whose `maxmemory-policy` is not `noeviction` may silently drop queued jobs: refused with
 * `--require-noeviction`, else reported once per connection in the daemon's timeline and each redis app's (also
 * an app provisioned later), and as a `ps` warning.
 */
export class EvictionPolicyReport {
  readonly #bus: EventBus;
  readonly #required: boolean;
  #policy: string | null = null;
  readonly #told = new Set<string>();

  constructor(bus: EventBus, required: boolean) {
    this.#bus = bus;
    this.#required = required;
  }

  /** At connect; throws `NS_REDIS_EVICTION_POLICY` when noeviction is required. */
  check(facts: ServerFacts, managed: boolean, apps: readonly string[]): void {
    this.#policy = null;
    this.#told.clear();
    if (managed || facts.policy === 'noeviction') return;
    if (this.#required) {
      throw new NightshiftError(
        ErrorCodes.redisEvictionPolicy,
        `${messageFor(facts.policy)} (--require-noeviction)`,
        declaredError(ErrorCodes.redisEvictionPolicy)!.hint,
      );
    }
    this.#policy = facts.policy;
    for (const app of ['', ...apps]) this.tell(app);
  }

  tell(app: string): void {
    if (this.#policy === null || this.#told.has(app)) return;
    this.#told.add(app);
    this.#bus.emit({
      type: 'redis:eviction-policy',
      app,
      message: messageFor(this.#policy),
      data: { policy: this.#policy },
    });
  }

  warnings(): string[] {
    return this.#policy === null ? [] : [messageFor(this.#policy)];
  }
}

const messageFor = (policy: string) =>
  `Redis maxmemory-policy is ${policy}: under memory pressure it may silently evict apps' keys (queued jobs); set it to noeviction`;
