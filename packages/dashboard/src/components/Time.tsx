import { local, utc } from '../lib/format';

/** A time shown in UTC (what the CLI and logs print), with the reader's local time on hover and focus. */
export function Time({ iso, fallback = '–' }: { iso: string | null | undefined; fallback?: string }) {
  if (!iso) return <span class="muted">{fallback}</span>;
  return (
    <time dateTime={iso} title={local(iso)} tabIndex={0}>
      {utc(iso)}
    </time>
  );
}
