import { useState } from 'preact/hooks';
import { api, type QueueCounts } from '@nightshift/protocol';
import { ApiError, call } from '../lib/api';
import { useData } from '../lib/use-data';
import { Cmd, Empty, ErrorNote, Loading } from '../components/States';
import { TableHead } from '../components/TableHead';

const COLUMNS: readonly (keyof QueueCounts)[] = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'completed',
  'paused',
];

/**
 * The app's BullMQ queues with their counts by state, as `nightshift queues` lists them, and pause/resume. The
 * bulk operations that remove or retry jobs stay on the CLI, where they show a count and ask first.
 */
export function Queues({ app }: { app: string }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<Error | undefined>(undefined);
  const list = useData(() => call(api.queues, { params: { app } }), [app], 5000);
  const toggle = async (queue: string, paused: boolean) => {
    setBusy(queue);
    setActionError(undefined);
    try {
      await call(paused ? api.queueResume : api.queuePause, { params: { app, queue } });
      list.reload();
    } catch (err) {
      setActionError(err as Error);
    } finally {
      setBusy(null);
    }
  };
  if (!list.value) {
    if (list.error instanceof ApiError && list.error.code === 'NS_QUEUE_NO_REDIS')
      return (
        <Empty title="This app has no Redis, so no queues.">
          Set <code>redis: true</code> in its <code>.paas/app.yaml</code> and deploy, or give it a{' '}
          <Cmd>{`nightshift config set REDIS_URL=redis://… --app ${app}`}</Cmd>.
        </Empty>
      );
    return list.error ? <ErrorNote error={list.error} /> : <Loading />;
  }
  const queues = list.value.queues;
  return (
    <div data-ready="queues">
      <h1>Queues</h1>
      <ErrorNote error={actionError} />
      {queues.length === 0 ? (
        <Empty title="No BullMQ queue yet.">
          Queues appear once the app adds a job under its prefix (<code>{`${app}:bull:`}</code>).
        </Empty>
      ) : (
        <>
          <p class="muted">
            Retry, clean and cancel jobs in bulk with <Cmd>{`nightshift queues --app ${app}`}</Cmd> and its
            subcommands.
          </p>
          <div class="scroll">
            <table>
              <TableHead columns={['Queue', ...COLUMNS, '']} />
              <tbody>
                {queues.map((q) => (
                  <tr key={q.name}>
                    <th scope="row">
                      {q.name} {q.paused ? <span class="pill warn">paused</span> : null}
                    </th>
                    {COLUMNS.map((c) => (
                      <td key={c} class={c === 'failed' && q.counts.failed > 0 ? 'bad' : undefined}>
                        {q.counts[c].toLocaleString()}
                      </td>
                    ))}
                    <td>
                      <button
                        type="button"
                        disabled={busy === q.name}
                        onClick={() => void toggle(q.name, q.paused)}
                      >
                        {q.paused ? 'Resume' : 'Pause'}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
