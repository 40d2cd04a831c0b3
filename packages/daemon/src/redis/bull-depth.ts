/** Sends one Redis command (the admin connection, or an app's own Redis). */
export type RedisCall = (...args: (string | number)[]) => Promise<unknown>;

/**
 * Jobs a BullMQ queue has waiting at `now`: the `wait`, `paused` and `prioritized` sets plus the delayed jobs
 * whose time has come (BullMQ scores a delayed job `timestamp × 0x1000 + counter`, so every score up to
 * `(now + 1) × 0x1000 − 1` is due). Reads keys only, never the jobs.
 */
export async function bullWaiting(call: RedisCall, keyPrefix: string, now: number): Promise<number> {
  const key = (part: string) => `${keyPrefix}:${part}`;
  const [wait, paused, prioritized, due] = await Promise.all([
    call('LLEN', key('wait')),
    call('LLEN', key('paused')),
    call('ZCARD', key('prioritized')),
    call('ZCOUNT', key('delayed'), 0, (Math.floor(now) + 1) * 0x1000 - 1),
  ]);
  return Number(wait) + Number(paused) + Number(prioritized) + Number(due);
}
