import type { CronRunEntry } from '@nightshift/protocol';
import { duration } from '../lib/format';
import { href } from '../lib/router';
import { Time } from './Time';
import { TableHead } from './TableHead';

const GOOD = new Set(['succeeded']);
const BAD = new Set(['failed', 'timed_out', 'interrupted', 'cancelled']);

export function StatusPill({ status }: { status: CronRunEntry['status'] }) {
  const tone = GOOD.has(status) ? 'ok' : BAD.has(status) ? 'bad' : status === 'running' ? 'warn' : '';
  return (
    <span class={`pill ${tone}`} data-status={status}>
      {status.replace('_', ' ')}
    </span>
  );
}

/** A job's runs, newest first: trigger, slot, coalesced, start, duration, exit code, status. */
export function RunsTable({ app, runs }: { app: string; runs: readonly CronRunEntry[] }) {
  return (
    <div class="scroll">
      <table class="runs">
        <TableHead
          columns={['Run', 'Trigger', 'Slot', 'Coalesced', 'Started', 'Duration', 'Exit', 'Status']}
        />
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-run={r.id}>
              <th scope="row">
                <a href={href('apps', app, 'runs', r.id)}>#{r.id}</a>
              </th>
              <td>{r.trigger}</td>
              <td>
                <Time iso={r.slot} />
              </td>
              <td>{r.coalesced > 1 ? `${r.coalesced} slots` : '–'}</td>
              <td>
                <Time iso={r.startedAt} />
              </td>
              <td>{r.durationMs === null ? '–' : duration(r.durationMs)}</td>
              <td class="exit">{r.signal ?? r.exitCode ?? '–'}</td>
              <td>
                <StatusPill status={r.status} />
                {r.reason ? <div class="small">{r.reason}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
