import { nodeCrypto } from '../runtime/builtins.js';
import type { AdminConnection } from './admin.js';
import { purgeKeys } from './keys.js';
import { appPrefix, appRule, appUser } from './rule.js';

/** 256 bits as hex: nothing to escape in a URL. */
export function newPassword(): string {
  return nodeCrypto().randomBytes(32).toString('hex');
}

/**
 * Replaces the app's user with the rule and exactly these passwords, then saves the ACLs. The managed server
 * keeps users in its ACL file; an external one may have none (the daemon then re-applies them at start).
 */
export async function applyUser(
  admin: AdminConnection,
  app: string,
  passwords: readonly string[],
  managed: boolean,
): Promise<void> {
  await admin.call('ACL', 'SETUSER', ...appRule(app, passwords));
  await saveAcl(admin, managed);
}

/** Deletes the user (its connections drop), then its keys, so no client can write new ones meanwhile. */
export async function deleteUser(admin: AdminConnection, app: string, managed: boolean): Promise<number> {
  await admin.call('ACL', 'DELUSER', appUser(app));
  await saveAcl(admin, managed);
  return purgeKeys(admin, appPrefix(app));
}

async function saveAcl(admin: AdminConnection, managed: boolean): Promise<void> {
  try {
    await admin.call('ACL', 'SAVE');
  } catch (err) {
    if (managed) throw err;
  }
}
