import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Data<T> {
  readonly value: T | undefined;
  readonly error: Error | undefined;
  /** Loads again now (after a change the page made). */
  readonly reload: () => void;
}

/**
 * Loads `load()` and keeps it fresh every `everyMs` while the tab is visible. A failed refresh keeps the last
 * value and shows the error beside it, so a daemon that restarts does not blank the page.
 */
export function useData<T>(load: () => Promise<T>, deps: readonly unknown[], everyMs = 2000): Data<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;
  const seq = useRef(0);
  const reload = useCallback(() => {
    const mine = ++seq.current;
    loadRef.current().then(
      (v) => {
        if (mine !== seq.current) return;
        setValue(v);
        setError(undefined);
      },
      (err: unknown) => {
        if (mine === seq.current) setError(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }, []);
  useEffect(() => {
    setValue(undefined);
    setError(undefined);
    reload();
    if (everyMs <= 0) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, everyMs);
    return () => clearInterval(timer);
  }, deps);
  return { value, error, reload };
}
