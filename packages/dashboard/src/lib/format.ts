/** `2026-12-06 15:04:05Z`: what the page shows; the local time is in the element's title. */
export function utc(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function local(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { timeZoneName: 'short' });
}

/** `3m 12s`, `2h 5m`, `4d 1h`: two units are enough to read at a glance. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function bytes(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${(v < 10 && i > 0) || digits > 1 ? v.toFixed(digits) : Math.round(v)} ${units[i]}`;
}

export function percent(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : `${n < 10 ? n.toFixed(1) : Math.round(n)}%`;
}

/** `exit 1`, `SIGKILL`, `exit 137 (OOM)`. */
export function exitText(exit: {
  code: number | null;
  signal: string | null;
  cause?: string | null;
}): string {
  const what = exit.signal ?? (exit.code === null ? 'ended' : `exit ${exit.code}`);
  return exit.cause ? `${what} (${exit.cause.replace('_', ' ')})` : what;
}
