import { local, utc } from '../lib/format';

/**
 * A time shown in UTC (what the CLI and logs print), with the reader's local time on hover. Not focusable: a
 * tab stop per timestamp would make the tables slow to cross by keyboard; pages that are about a time (a job's
 * next slots) print the local time beside it.
 */
export function Time({ iso, fallback = '–' }: { iso: string | null | undefined; fallback?: string }) {
  if (!iso) return <span class="muted">{fallback}</span>;
  return (
    <time dateTime={iso} title={local(iso)}>
      {utc(iso)}
    </time>
  );
}
