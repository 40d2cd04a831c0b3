import { api } from '@nightshift/protocol';
import { call } from '../lib/api';
import { useData } from '../lib/use-data';
import { Cmd, Empty, ErrorNote, Loading } from '../components/States';
import { Time } from '../components/Time';
import { TableHead } from '../components/TableHead';

/**
 * Config vars (values shown: they are plain settings) and secrets (names, digests and dates only: the API has
 * no route that answers with a secret's value over TCP).
 */
export function Config({ app }: { app: string }) {
  const data = useData(
    () =>
      Promise.all([call(api.listConfig, { params: { app } }), call(api.listSecrets, { params: { app } })]),
    [app],
    5000,
  );
  if (!data.value) return data.error ? <ErrorNote error={data.error} /> : <Loading />;
  const [vars, secrets] = data.value;
  return (
    <div data-ready="config">
      <h1>Config vars</h1>
      {vars.length === 0 ? (
        <Empty title="No config vars.">
          Set one with <Cmd>{`nightshift config set NAME=value --app ${app}`}</Cmd>.
        </Empty>
      ) : (
        <div class="scroll">
          <table>
            <TableHead columns={['Name', 'Value', 'Status', 'Updated']} />
            <tbody>
              {vars.map((v) => (
                <tr key={v.name}>
                  <th scope="row">
                    <code>{v.name}</code>
                  </th>
                  <td class="wrap">
                    <code>{v.value}</code>
                  </td>
                  <td>{v.status}</td>
                  <td>
                    <Time iso={v.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Secrets</h2>
      <p class="muted">Values are never shown here: the digest changes when the value does.</p>
      {secrets.length === 0 ? (
        <Empty title="No secrets.">
          Set one with <Cmd>{`nightshift secrets set NAME --app ${app}`}</Cmd> (the value is read from stdin).
        </Empty>
      ) : (
        <div class="scroll">
          <table>
            <TableHead columns={['Name', 'Digest', 'Status', 'Created', 'Updated']} />
            <tbody>
              {secrets.map((s) => (
                <tr key={s.name}>
                  <th scope="row">
                    <code>{s.name}</code>
                  </th>
                  <td>
                    <code>{s.digest}</code>
                  </td>
                  <td>{s.status}</td>
                  <td>
                    <Time iso={s.createdAt} />
                  </td>
                  <td>
                    <Time iso={s.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
