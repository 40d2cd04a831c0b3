import { useEffect, useState } from 'preact/hooks';
import { api, type EventEntry } from '@nightshift/protocol';
import { call, streamUrl } from '../lib/api';
import { Empty, ErrorNote, Loading } from '../components/States';
import { Time } from '../components/Time';

/** The first word of an event type (`replica`, `cron`, `deploy`…): the families the filter offers. */
const who = (e: EventEntry) => e.replica ?? e.process ?? '';

const familyOf = (type: string) => type.split(':')[0] ?? type;

/** The app's timeline, newest first, live over SSE, filtered by family, process and text. */
export function Events({ app }: { app: string }) {
  const [events, setEvents] = useState<readonly EventEntry[] | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [family, setFamily] = useState('');
  const [process, setProcess] = useState('');
  const [text, setText] = useState('');

  useEffect(() => {
    let source: EventSource | null = null;
    let closed = false;
    setEvents(undefined);
    call(api.appEvents, { params: { app }, query: { n: 200 } })
      .then((list) => {
        if (closed) return;
        setEvents(list);
        source = new EventSource(
          streamUrl(api.eventStream, { params: { app }, query: { after: list[0]?.id } }),
        );
        source.addEventListener('event', (e) => {
          const entry = JSON.parse((e as MessageEvent<string>).data) as EventEntry;
          // A folded entry (a crash loop's ×N) comes again with its new count: replace it.
          setEvents((l) => [entry, ...(l ?? []).filter((x) => x.id !== entry.id)].slice(0, 500));
        });
      })
      .catch((err: unknown) => setError(err as Error));
    return () => {
      closed = true;
      source?.close();
    };
  }, [app]);

  if (!events) return error ? <ErrorNote error={error} /> : <Loading />;
  const families = [...new Set(events.map((e) => familyOf(e.type)))].sort();
  const processes = [...new Set(events.flatMap((e) => (e.process ? [e.process] : [])))].sort();
  const needle = text.trim().toLowerCase();
  const shown = events.filter(
    (e) =>
      (!family || familyOf(e.type) === family) &&
      (!process || e.process === process) &&
      (!needle || `${e.type} ${e.message}`.toLowerCase().includes(needle)),
  );
  return (
    <div data-ready="events">
      <h1>Events</h1>
      <ErrorNote error={error} />
      <div class="filters">
        <label>
          Kind{' '}
          <select value={family} onChange={(e) => setFamily(e.currentTarget.value)}>
            <option value="">all</option>
            {families.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
        <label>
          Process{' '}
          <select value={process} onChange={(e) => setProcess(e.currentTarget.value)}>
            <option value="">all</option>
            {processes.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Contains <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
      </div>
      {shown.length === 0 ? (
        <Empty title={events.length ? 'No event matches these filters.' : 'No events yet.'}>
          {events.length
            ? 'Clear a filter to see more.'
            : 'Deploys, scaling, crashes and cron runs are recorded here.'}
        </Empty>
      ) : (
        <ol class="timeline">
          {shown.map((e) => (
            <li key={e.id} class={/crash|fail|unhealthy|killed/.test(e.type) ? 'bad' : undefined}>
              <Time iso={e.time} /> <span class="pill">{e.type}</span>
              {e.count && e.count > 1 ? <span class="pill warn">×{e.count}</span> : null}{' '}
              {/* The subject only where the message does not already name it. */}
              {who(e) && !e.message.includes(who(e)) ? `${who(e)} ` : ''}
              <span class="msg">{e.message}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
