import { useEffect, useState } from 'preact/hooks';
import { api, type CronRunEntry, type LogEntry } from '@nightshift/protocol';
import { call, streamUrl } from '../lib/api';
import { duration } from '../lib/format';
import { href } from '../lib/router';
import { useData } from '../lib/use-data';
import { LogLine } from '../components/LogTail';
import { StatusPill } from '../components/RunsTable';
import { ErrorNote, Loading } from '../components/States';
import { Time } from '../components/Time';

/** One cron run: its facts and its full log, live while it runs (the stream ends with the finished run). */
export function RunDetail({ app, id }: { app: string; id: string }) {
  const info = useData(() => call(api.cronRunInfo, { params: { app, id } }), [app, id], 0);
  const [run, setRun] = useState<CronRunEntry | undefined>();
  const [lines, setLines] = useState<readonly LogEntry[]>([]);
  useEffect(() => setRun(info.value), [info.value]);

  useEffect(() => {
    setLines([]);
    // The stream replays the run's log from its start and ends with an `end` event carrying the run.
    const source = new EventSource(streamUrl(api.cronRunLogStream, { params: { app, id } }));
    source.addEventListener('line', (e) => {
      const line = JSON.parse((e as MessageEvent<string>).data) as LogEntry;
      setLines((l) => (l.some((x) => x.id === line.id) ? l : [...l, line]));
    });
    source.addEventListener('end', (e) => {
      setRun(JSON.parse((e as MessageEvent<string>).data) as CronRunEntry);
      source.close();
    });
    source.onerror = () => {
      // Closed by the daemon after `end`, or lost: the run's record says which.
      info.reload();
    };
    return () => source.close();
  }, [app, id]);

  if (!run) return info.error ? <ErrorNote error={info.error} /> : <Loading />;
  return (
    <div data-ready="run">
      <h1>
        Run #{run.id} of <a href={href('apps', app, 'cron', run.job)}>{run.job}</a>
      </h1>
      <dl class="facts" data-testid="run-facts">
        <dt>Status</dt>
        <dd>
          <StatusPill status={run.status} />
          {run.reason ? <span class="muted"> {run.reason}</span> : null}
        </dd>
        <dt>Exit code</dt>
        <dd data-testid="exit-code">{run.signal ?? run.exitCode ?? '–'}</dd>
        <dt>Trigger</dt>
        <dd>{run.trigger}</dd>
        <dt>Slot</dt>
        <dd>
          <Time iso={run.slot} fallback="none (manual)" />
        </dd>
        <dt>Started</dt>
        <dd>
          <Time iso={run.startedAt} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <Time iso={run.finishedAt} fallback={run.status === 'running' ? 'still running' : '–'} />
        </dd>
        <dt>Duration</dt>
        <dd>{run.durationMs === null ? '–' : duration(run.durationMs)}</dd>
        <dt>Release</dt>
        <dd>{run.release ?? '–'}</dd>
      </dl>
      <h2>Log</h2>
      <div class="log tall" tabIndex={0} aria-label="run log" data-testid="run-log">
        {lines.length === 0 ? (
          <p class="muted">{run.status === 'running' ? 'No output yet.' : 'The run printed nothing.'}</p>
        ) : null}
        {lines.map((l) => (
          <LogLine key={l.id} line={l} />
        ))}
      </div>
    </div>
  );
}
