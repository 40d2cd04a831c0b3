import { useMemo, useState } from 'preact/hooks';
import { api, type MetricsResponse, type PsEntry } from '@nightshift/protocol';
import { call } from '../lib/api';
import { bytes, duration, exitText, percent } from '../lib/format';
import { isLooping, processesOf } from '../lib/processes';
import { useData } from '../lib/use-data';
import { Chart, type ChartSeries } from '../components/Chart';
import { LogTail } from '../components/LogTail';
import { Cmd, Empty, ErrorNote, Loading } from '../components/States';
import { Time } from '../components/Time';
import { TableHead } from '../components/TableHead';

const RANGES = [
  ['1h', 3600_000],
  ['24h', 86_400_000],
  ['7d', 7 * 86_400_000],
] as const;

/** One process type: its replicas, scale and restart, CPU/memory charts, and the live log. */
export function ProcessDetail({ app, process }: { app: string; process: string }) {
  const ps = useData(() => call(api.ps, { params: { app } }), [app]);
  if (!ps.value) return ps.error ? <ErrorNote error={ps.error} /> : <Loading />;
  const view = processesOf(ps.value).find((p) => p.process === process);
  if (!view) {
    return (
      <Empty title={`${app} has no process named ${process}.`}>
        Check the manifest's <code>workers</code>, then <Cmd>nightshift deploy</Cmd>.
      </Empty>
    );
  }
  return (
    <div data-ready="process">
      <h1>{process}</h1>
      <ErrorNote error={ps.error} />
      <Controls
        app={app}
        process={process}
        desired={view.desired}
        autoscaled={view.autoscale !== undefined}
        onChange={ps.reload}
      />
      <Replicas replicas={view.replicas} />
      <Charts app={app} process={process} />
      <LogTail app={app} process={process} replicas={view.replicas.map((r) => r.replica)} />
    </div>
  );
}

function Controls(props: {
  app: string;
  process: string;
  desired: number;
  autoscaled: boolean;
  onChange: () => void;
}) {
  const { app, process } = props;
  const [count, setCount] = useState<string>(String(props.desired));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [note, setNote] = useState('');
  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    try {
      setNote(await what());
      props.onChange();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="controls" aria-label="controls">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const [done] = await call(api.scale, {
              params: { app },
              body: { changes: [{ process, op: '=', count: Number(count) }] },
            });
            return done ? `Scaled ${process} from ${done.from} to ${done.to}.` : 'Scaled.';
          });
        }}
      >
        <label for="scale-count">Replicas</label>
        <input
          id="scale-count"
          type="number"
          min={0}
          max={100}
          required
          value={count}
          disabled={props.autoscaled}
          onInput={(e) => setCount(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy || props.autoscaled}>
          Scale
        </button>
      </form>
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void act(async () => {
            await call(api.restart, { params: { app }, body: { process } });
            return `Restarting ${process}, one replica after another.`;
          })
        }
      >
        Restart
      </button>
      {props.autoscaled ? (
        <p class="muted">Autoscaled: the autoscaler sets the count within its bounds.</p>
      ) : null}
      <p class="muted" aria-live="polite">
        {note}
      </p>
      <ErrorNote error={error} />
    </section>
  );
}

function Replicas({ replicas }: { replicas: readonly PsEntry[] }) {
  if (replicas.length === 0) {
    return <Empty title="No replicas: the process is scaled to 0 or stopped.">Scale it up above.</Empty>;
  }
  const now = Date.now();
  return (
    <div class="scroll">
      <table class="replicas">
        <TableHead
          columns={['Replica', 'State', 'PID', 'Uptime', 'Restarts', 'Last exit', 'CPU', 'Memory', 'Release']}
        />
        <tbody>
          {replicas.map((r) => (
            <tr key={r.replica} class={isLooping(r) ? 'looping' : undefined}>
              <th scope="row">{r.replica}</th>
              <td>
                <span class={`pill ${r.state === 'running' ? 'ok' : isLooping(r) ? 'bad' : ''}`}>
                  {r.state}
                </span>
                {r.nextRetryAt ? (
                  <div class="small">
                    restarts at <Time iso={r.nextRetryAt} />
                  </div>
                ) : null}
                {r.health ? <div class="small">{r.health}</div> : null}
              </td>
              <td>{r.pid ?? '–'}</td>
              <td>{r.startedAt && r.state === 'running' ? duration(now - Date.parse(r.startedAt)) : '–'}</td>
              <td>{r.restarts}</td>
              <td>
                {r.lastExit ? (
                  <>
                    {exitText(r.lastExit)}
                    <div class="small">
                      <Time iso={r.lastExit.at} />
                    </div>
                  </>
                ) : (
                  '–'
                )}
              </td>
              <td>{percent(r.cpuPercent)}</td>
              <td>{bytes(r.memoryBytes)}</td>
              <td>{r.release ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function seriesOf(
  m: MetricsResponse,
  pick: (p: MetricsResponse['series'][number]['points'][number]) => number | null,
) {
  return m.series.map((s): ChartSeries => ({
    label: s.replica,
    points: s.points.map((p) => [Math.floor(Date.parse(p.time) / 1000), pick(p)] as const),
  }));
}

const formatBytes = (v: number, digits?: number) => bytes(v, digits);
const formatCpu = (v: number, digits?: number) => `${v.toFixed(digits ?? (v < 10 ? 1 : 0))}%`;

function Charts({ app, process }: { app: string; process: string }) {
  const [range, setRange] = useState<(typeof RANGES)[number][0]>('1h');
  const ms = RANGES.find((r) => r[0] === range)![1];
  const metrics = useData(
    () => call(api.metrics, { params: { app }, query: { process, since: Date.now() - ms } }),
    [app, process, ms],
    15_000,
  );
  const cpu = useMemo(
    () => (metrics.value ? seriesOf(metrics.value, (p) => p.cpuPercent) : []),
    [metrics.value],
  );
  const mem = useMemo(
    () => (metrics.value ? seriesOf(metrics.value, (p) => p.memoryBytes) : []),
    [metrics.value],
  );
  return (
    <section aria-labelledby="charts-title" class="charts">
      <div class="tail-head">
        <h2 id="charts-title">CPU and memory</h2>
        <div role="group" aria-label="time range" class="seg">
          {RANGES.map(([name]) => (
            <button key={name} type="button" aria-pressed={range === name} onClick={() => setRange(name)}>
              {name}
            </button>
          ))}
        </div>
      </div>
      <ErrorNote error={metrics.error} />
      {metrics.value ? (
        <div class="chart-grid">
          <Chart title="CPU (% of one core)" series={cpu} format={formatCpu} />
          <Chart title="Memory (resident)" series={mem} format={formatBytes} />
        </div>
      ) : (
        <Loading />
      )}
    </section>
  );
}
