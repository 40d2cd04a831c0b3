import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type LogEntry } from '@nightshift/protocol';
import { call, streamUrl } from '../lib/api';
import { utc, local } from '../lib/format';
import { ErrorNote } from './States';

/** Lines kept on screen: enough to read back a burst, few enough that the page stays quick. */
const KEEP = 500;

/**
 * The live tail: the last lines, then new ones over Server-Sent Events (the browser's EventSource resumes
 * with `Last-Event-ID` after a dropped connection). Paused, new lines are held and counted, and shown on
 * resume, so nothing is missed while reading.
 */
export function LogTail(props: { app: string; process: string; replicas: readonly string[] }) {
  const { app, process } = props;
  const [replica, setReplica] = useState('');
  const [stream, setStream] = useState<'' | 'out' | 'err'>('');
  const [paused, setPaused] = useState(false);
  const [lines, setLines] = useState<readonly LogEntry[]>([]);
  const [held, setHeld] = useState<readonly LogEntry[]>([]);
  const [error, setError] = useState<Error | undefined>();
  const [live, setLive] = useState(false);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    const query = { process: replica || process, stream: stream || undefined };
    let source: EventSource | null = null;
    let closed = false;
    setLines([]);
    setHeld([]);
    setError(undefined);
    call(api.logs, { params: { app }, query: { ...query, n: 100 } })
      .then((recent) => {
        if (closed) return;
        setLines(recent);
        const last = recent.at(-1)?.id;
        source = new EventSource(
          streamUrl(api.logStream, { params: { app }, query: { ...query, after: last } }),
        );
        source.onopen = () => setLive(true);
        source.onerror = () => setLive(false);
        source.addEventListener('line', (e) => {
          const entry = JSON.parse((e as MessageEvent<string>).data) as LogEntry;
          if (pausedRef.current) setHeld((h) => [...h, entry].slice(-KEEP));
          else setLines((l) => [...l, entry].slice(-KEEP));
        });
      })
      .catch((err: unknown) => setError(err as Error));
    return () => {
      closed = true;
      source?.close();
      setLive(false);
    };
  }, [app, process, replica, stream]);

  const resume = () => {
    setLines((l) => [...l, ...held].slice(-KEEP));
    setHeld([]);
    setPaused(false);
  };

  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Follow the newest line unless the reader scrolled up.
    const el = box.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <section aria-labelledby="tail-title" class="tail">
      <div class="tail-head">
        <h2 id="tail-title">Live log</h2>
        <span class={`pill ${live ? 'ok' : ''}`} aria-live="polite">
          {live ? (paused ? `paused · ${held.length} new` : 'live') : 'connecting'}
        </span>
        <label for="tail-replica">Replica</label>
        <select id="tail-replica" value={replica} onChange={(e) => setReplica(e.currentTarget.value)}>
          <option value="">all</option>
          {props.replicas.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <label for="tail-stream">Stream</label>
        <select
          id="tail-stream"
          value={stream}
          onChange={(e) => setStream(e.currentTarget.value as '' | 'out' | 'err')}
        >
          <option value="">both</option>
          <option value="out">stdout</option>
          <option value="err">stderr</option>
        </select>
        <button type="button" onClick={() => (paused ? resume() : setPaused(true))} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
      </div>
      <ErrorNote error={error} />
      <div class="log" ref={box} tabIndex={0} aria-label="log lines" data-testid="log-lines">
        {lines.length === 0 ? (
          <p class="muted">No lines yet: they appear here as the replicas print them.</p>
        ) : null}
        {lines.map((l) => (
          <LogLine key={l.id} line={l} />
        ))}
      </div>
    </section>
  );
}

export function LogLine({ line }: { line: LogEntry }) {
  return (
    <div class={`line ${line.stream}`}>
      <time dateTime={line.time} title={local(line.time)}>
        {utc(line.time).slice(11)}
      </time>{' '}
      <span class="src">{line.source}</span> <span class="msg">{line.message}</span>
      {line.fields ? (
        <span class="fields">
          {Object.entries(line.fields).map(([k, v]) => (
            <span key={k} class="field">
              {k}={typeof v === 'string' ? v : JSON.stringify(v)}
            </span>
          ))}
        </span>
      ) : null}
    </div>
  );
}
