/** PURE: what the daemon reads from Redis's INFO and CONFIG replies. */

/** `INFO` text → its `field:value` pairs (section headers and blank lines skipped). */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.indexOf(':');
    if (at > 0) out.set(line.slice(0, at), line.slice(at + 1));
  }
  return out;
}

/** Channel rules (`&pattern`) came with 6.2: older servers cannot keep apps' pub/sub apart. */
export function supportsChannelRules(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 6 || (major === 6 && minor >= 2);
}

/** The count of writes refused for memory, from `INFO errorstats` (`errorstat_OOM:count=N`). */
export function oomRejections(info: Map<string, string>): number {
  const stat = info.get('errorstat_OOM');
  const match = stat ? /count=(\d+)/.exec(stat) : null;
  return match ? Number(match[1]) : 0;
}

/** `CONFIG GET a b` → `{a, b}` (the reply is a flat name, value list). */
export function configMap(reply: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out.set(String(reply[i]), String(reply[i + 1]));
  return out;
}
