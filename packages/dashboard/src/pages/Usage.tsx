import { useState } from 'preact/hooks';
import { api, type UsageGrouping } from '@nightshift/protocol';
import { call } from '../lib/api';
import { useData } from '../lib/use-data';
import { Empty, ErrorNote, Loading } from '../components/States';
import { Time } from '../components/Time';
import { TableHead } from '../components/TableHead';

const WINDOWS = [
  ['24 h', 86_400_000],
  ['7 d', 7 * 86_400_000],
  ['30 d', 30 * 86_400_000],
] as const;

const num = (n: number) => (n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString());

/** Billed usage: replica-, vCPU- and GiB-minutes (and cost when prices are set), by process or day. */
export function Usage({ app }: { app: string }) {
  const [by, setBy] = useState<UsageGrouping>('process');
  const [window, setWindow] = useState<number>(WINDOWS[2][1]);
  const report = useData(
    () => call(api.usage, { params: { app }, query: { by, since: Date.now() - window } }),
    [app, by, window],
    30_000,
  );
  const r = report.value;
  return (
    <div data-ready={r ? 'usage' : undefined}>
      <h1>Usage</h1>
      <div class="filters">
        <label>
          Window{' '}
          <select value={window} onChange={(e) => setWindow(Number(e.currentTarget.value))}>
            {WINDOWS.map(([label, ms]) => (
              <option key={label} value={ms}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          By{' '}
          <select value={by} onChange={(e) => setBy(e.currentTarget.value as UsageGrouping)}>
            <option value="process">process</option>
            <option value="day">day</option>
            <option value="region">region</option>
          </select>
        </label>
      </div>
      <ErrorNote error={report.error} />
      {!r ? (
        <Loading />
      ) : r.lines.length === 0 ? (
        <Empty title="Nothing ran in this window.">Usage is counted while replicas and cron runs run.</Empty>
      ) : (
        <>
          <p class="muted">
            From <Time iso={r.since} /> to <Time iso={r.until} />. Processes without <code>resources</code>{' '}
            count as {r.defaults.cpu} vCPU and {Math.round(r.defaults.memoryBytes / 2 ** 20)} MiB.
          </p>
          <div class="scroll">
            <table>
              <TableHead columns={[by, 'Replica-min', 'vCPU-min', 'GiB-min', 'Cost']} />
              <tbody>
                {r.lines.map((l) => (
                  <tr key={l.key}>
                    <th scope="row">{l.key}</th>
                    <td>{num(l.replicaMinutes)}</td>
                    <td>{num(l.vcpuMinutes)}</td>
                    <td>{num(l.gibMinutes)}</td>
                    <td>{l.cost === null ? '–' : l.cost.toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">total</th>
                  <td>{num(r.totals.replicaMinutes)}</td>
                  <td>{num(r.totals.vcpuMinutes)}</td>
                  <td>{num(r.totals.gibMinutes)}</td>
                  <td>{r.totals.cost === null ? 'set NIGHTSHIFT_USAGE_PRICES' : r.totals.cost.toFixed(2)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
