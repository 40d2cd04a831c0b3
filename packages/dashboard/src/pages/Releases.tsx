import { useRef, useState } from 'preact/hooks';
import { api, type ReleaseEntry } from '@nightshift/protocol';
import { call } from '../lib/api';
import { useData } from '../lib/use-data';
import { Cmd, Empty, ErrorNote, Loading } from '../components/States';
import { Time } from '../components/Time';
import { TableHead } from '../components/TableHead';

/** How each outcome of the deploy guard reads at a glance. */
const OUTCOME_CLASS: Partial<Record<ReleaseEntry['outcome'], string>> = {
  live: 'ok',
  good: 'ok',
  'rolled back by guard': 'bad',
  'failed guard': 'bad',
  'failed build': 'bad',
  'failed to start': 'bad',
};

/** Releases, newest first, the live one marked; rollback to a succeeded one after a confirmation. */
export function Releases({ app }: { app: string }) {
  const list = useData(() => call(api.releases, { params: { app } }), [app], 5000);
  const [target, setTarget] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<Error | undefined>();
  const dialog = useRef<HTMLDialogElement>(null);

  const ask = (version: string) => {
    setTarget(version);
    dialog.current?.showModal();
  };
  const rollback = async () => {
    if (!target) return;
    setError(undefined);
    try {
      const done = await call(api.rollback, { params: { app }, body: { release: target } });
      setNote(`Rolled back from ${done.previous} to ${done.release}.`);
      list.reload();
    } catch (err) {
      setError(err as Error);
    }
  };

  if (!list.value) return list.error ? <ErrorNote error={list.error} /> : <Loading />;
  if (list.value.length === 0) {
    return (
      <Empty title="No releases yet.">
        Each <Cmd>nightshift deploy</Cmd> builds one.
      </Empty>
    );
  }
  return (
    <div data-ready="releases">
      <h1>Releases</h1>
      <p class="muted" aria-live="polite">
        {note}
      </p>
      <ErrorNote error={error} />
      <div class="scroll">
        <table>
          <TableHead columns={['Release', 'Built', 'Source', 'Outcome', '']} />
          <tbody>
            {list.value.map((r) => (
              <tr key={r.version} class={r.live ? 'live' : undefined}>
                <th scope="row">
                  {r.version} {r.live ? <span class="pill ok">live</span> : null}
                </th>
                <td>
                  <Time iso={r.createdAt} />
                </td>
                <td class="wrap">
                  <code>{r.source}</code>
                </td>
                <td>
                  <span class={`pill ${OUTCOME_CLASS[r.outcome] ?? ''}`}>{r.outcome}</span>
                  {r.guard?.state === 'watching' && r.guard.until ? (
                    <div class="small">
                      guard watching until <Time iso={r.guard.until} />
                    </div>
                  ) : null}
                  {r.guard?.reason ? <div class="small">{r.guard.reason}</div> : null}
                </td>
                <td>
                  {!r.live && r.status === 'succeeded' ? (
                    <button type="button" onClick={() => ask(r.version)}>
                      Roll back to {r.version}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dialog ref={dialog} aria-labelledby="rollback-title" onClose={() => setTarget(null)}>
        <form method="dialog">
          <h2 id="rollback-title">
            Roll back {app} to {target}?
          </h2>
          <p>Every process is switched to {target}'s code and manifest, replica by replica.</p>
          <div class="controls">
            <button value="cancel" type="submit">
              Cancel
            </button>
            <button value="confirm" type="submit" class="danger" onClick={() => void rollback()}>
              Roll back
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
