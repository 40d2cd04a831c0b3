/**
 * Memoises `compute` for one turn of the event loop. A reconcile starts every replica of an app in one
 * synchronous pass; they all need the same config vars and decrypted secrets, which are then read once, while
 * a change made afterwards is still seen by the next start.
 */
export function perTurn<A extends unknown[], V>(
  keyOf: (...args: A) => string,
  compute: (...args: A) => V,
): (...args: A) => V {
  let memo: Map<string, V> | null = null;
  return (...args) => {
    if (!memo) {
      memo = new Map();
      setImmediate(() => (memo = null));
    }
    const key = keyOf(...args);
    if (memo.has(key)) return memo.get(key)!;
    const value = compute(...args);
    memo.set(key, value);
    return value;
  };
}
