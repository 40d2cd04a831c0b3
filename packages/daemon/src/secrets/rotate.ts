import type { RotateKeyResponse } from '@nightshift/protocol';
import type { SecretsContext } from './context.js';
import { rotateKeyring, type Keyring } from './keyring.js';

/**
 * Re-encrypts every secret of every app under a new master key (see `rotateKeyring`); `adopt` receives the new
 * keyring at once, before anything is reported, and the service uses it from then on.
 */
export function rotateKey(
  ctx: SecretsContext,
  keyFile: string,
  adopt: (keyring: Keyring) => void,
): RotateKeyResponse {
  const previous = ctx.ring().keys.fingerprint;
  const { keyring, count, renameError } = rotateKeyring(ctx.db, keyFile, ctx.ring(), ctx.clock.now());
  adopt(keyring);
  if (renameError !== null) ctx.onError(renameError);
  const fingerprint = keyring.keys.fingerprint;
  ctx.bus.emit({
    type: 'secrets:key-rotated',
    app: '',
    message: `master key rotated: ${count} secret${count === 1 ? '' : 's'} re-encrypted (key ${previous} → ${fingerprint})`,
    data: { secrets: count, fingerprint, previous },
  });
  return { previous, fingerprint, secrets: count };
}
