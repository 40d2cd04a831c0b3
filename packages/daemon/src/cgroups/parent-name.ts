const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/**
 * The daemon's parent cgroup for a home: `nightshift-` and 12 hex digits of the home path's 64-bit FNV-1a hash.
 * The name only has to tell one home from another on one machine; a cryptographic hash would load node:crypto
 * in every daemon that has cgroups.
 */
export function parentCgroupName(home: string): string {
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(home, 'utf8')) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  return `nightshift-${hash.toString(16).padStart(16, '0').slice(0, 12)}`;
}
