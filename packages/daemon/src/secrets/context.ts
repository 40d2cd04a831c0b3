import type { AppSpec } from '@nightshift/manifest';
import type { EventBus } from '../events/index.js';
import type { Clock } from '../runtime/clock.js';
import type * as store from '../store/index.js';
import type { ChangeContext } from './changes.js';
import type { Keyring } from './keyring.js';
import type { SecretRedaction } from './redaction.js';

/** What the secret operations share inside one service: the store, the key on demand, redaction, change handling. */
export interface SecretsContext {
  readonly db: store.Db;
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly onError: (err: unknown) => void;
  readonly liveSpec: (app: string) => AppSpec | null;
  /** The master key's derived keys, opened on first use. */
  readonly ring: () => Keyring;
  readonly redaction: SecretRedaction;
  readonly changes: ChangeContext;
}
