import { api, type AppEntry, type CronJobEntry } from '@nightshift/protocol';
import { call } from '../lib/api';
import { exitText } from '../lib/format';
import { processesOf, type ProcessView } from '../lib/processes';
import { href } from '../lib/router';
import { useData } from '../lib/use-data';
import { Cmd, Empty, ErrorNote, Loading } from '../components/States';
import { Time } from '../components/Time';
import { TableHead } from '../components/TableHead';

interface OverviewData {
  readonly apps: readonly AppEntry[];
  readonly processes: readonly ProcessView[];
  readonly cron: ReadonlyMap<string, readonly CronJobEntry[]>;
}

/**
 * Three requests at once, whatever the number of apps: the overview's data is one round trip (and preloaded,
 * see the daemon's api/dashboard/pages.ts). One app's page filters the same answers, so an unknown name is
 * an empty state rather than an error.
 */
async function loadOverview(only: string | undefined): Promise<OverviewData> {
  const [apps, ps, cron] = await Promise.all([
    call(api.listApps, {}),
    call(api.psAll, {}),
    call(api.cronAll, {}),
  ]);
  return {
    apps: apps.filter((a) => !only || a.name === only),
    processes: processesOf(ps).filter((p) => !only || p.app === only),
    cron: new Map(cron.map((c) => [c.app, c.jobs])),
  };
}

/** Every app (or one, on its own page): processes, replicas running of desired, crash loops, next cron fires. */
export function Overview({ app }: { app?: string | undefined }) {
  const data = useData(() => loadOverview(app), [app]);
  const value = data.value;
  if (!value) return data.error ? <ErrorNote error={data.error} /> : <Loading />;
  if (value.apps.length === 0) {
    return (
      <Empty title={app ? `There is no app named ${app}.` : 'No apps yet.'}>
        Deploy one from its folder with <Cmd>nightshift up</Cmd>; it appears here as soon as it runs.
      </Empty>
    );
  }
  return (
    <div data-ready="overview">
      <ErrorNote error={data.error} />
      {app ? null : <h1>Apps</h1>}
      {value.apps.map((a) => (
        <AppCard
          key={a.name}
          app={a}
          processes={value.processes.filter((p) => p.app === a.name)}
          cron={value.cron.get(a.name) ?? []}
          detailed={app !== undefined}
        />
      ))}
    </div>
  );
}

function AppCard(props: {
  app: AppEntry;
  processes: readonly ProcessView[];
  cron: readonly CronJobEntry[];
  detailed: boolean;
}) {
  const { app, processes, cron } = props;
  const looping = processes.filter((p) => p.looping.length > 0);
  const Heading = props.detailed ? 'h1' : 'h2';
  return (
    <section
      class={`card${looping.length ? ' alert' : ''}`}
      aria-labelledby={`app-${app.name}`}
      data-app={app.name}
    >
      <div class="card-head">
        <Heading id={`app-${app.name}`}>
          <a href={href('apps', app.name)}>{app.name}</a>
        </Heading>
        <span class="pill" title="the live release: web, workers and cron all run from it">
          {app.release ? `live ${app.release}` : 'no live release'}
        </span>
        {looping.length ? <span class="pill bad">crash-looping</span> : null}
      </div>
      {processes.length === 0 ? (
        <Empty title="No processes run.">
          {app.release ? (
            <>
              Start them with <Cmd>{`nightshift start PROC --app ${app.name}`}</Cmd> or scale one up.
            </>
          ) : (
            <>
              Deploy a release with <Cmd>nightshift deploy</Cmd>.
            </>
          )}
        </Empty>
      ) : (
        <div class="scroll">
          <table class="processes">
            <TableHead columns={['Process', 'Running / desired', 'Restarts', 'State']} />
            <tbody>
              {processes.map((p) => (
                <ProcessRow key={p.process} p={p} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cron.length ? (
        <div class="cron-next">
          <h3>Next cron fires</h3>
          <ul>
            {cron.map((j) => (
              <li key={j.name}>
                <a href={href('apps', app.name, 'cron', j.name)}>{j.name}</a>{' '}
                {j.suspended ? (
                  <span class="pill">suspended</span>
                ) : (
                  <Time iso={j.nextSlot} fallback="no slot" />
                )}
                {j.running ? <span class="pill ok"> running</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/**
 * `ps`'s own words: given up (`failed`, restart.max_restarts), a crash loop (`crash-loop`: 3 quick crashes in a
 * row); a replica that has crashed and waits out its backoff is still highlighted, as restarting.
 */
function loopTitle(looping: ProcessView['looping']): string {
  if (looping.some((r) => r.state === 'failed')) return 'Given up';
  if (looping.some((r) => r.state === 'crash-loop')) return 'Crash loop';
  return 'Restarting after a crash';
}

function ProcessRow({ p }: { p: ProcessView }) {
  const restarts = p.replicas.reduce((n, r) => n + r.restarts, 0);
  const loop = p.looping[0];
  return (
    <tr class={loop ? 'looping' : undefined} data-process={p.process}>
      <th scope="row">
        <a href={href('apps', p.app, 'processes', p.process)}>{p.process}</a>
      </th>
      <td data-label="Running / desired">
        <span class="count" data-running={p.running} data-desired={p.desired}>
          {p.running} / {p.desired}
        </span>
        {p.autoscale ? <span class="muted"> (auto {`${p.autoscale.min}–${p.autoscale.max}`})</span> : null}
      </td>
      <td data-label="Restarts">{restarts}</td>
      <td class="state">
        {p.stopped ? (
          <span class="pill">stopped</span>
        ) : loop ? (
          <span class="loop-note">
            <strong>{loopTitle(p.looping)}</strong> ({p.looping.length} of {p.replicas.length}): last{' '}
            {loop.lastExit ? exitText(loop.lastExit) : 'exit unknown'}
            {loop.lastExit ? (
              <>
                {' '}
                at <Time iso={loop.lastExit.at} />
              </>
            ) : null}
            {loop.state === 'failed' ? (
              <>
                ; stopped by <code>restart.max_restarts</code> until{' '}
                <code>{`nightshift start ${p.process}`}</code>
              </>
            ) : (
              <>
                ; next restart <Time iso={loop.nextRetryAt} fallback="pending" />
              </>
            )}
          </span>
        ) : p.running === p.desired ? (
          <span class="pill ok">running</span>
        ) : (
          <span class="pill warn">starting</span>
        )}
      </td>
    </tr>
  );
}
