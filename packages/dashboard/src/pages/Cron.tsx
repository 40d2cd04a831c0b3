import { useState } from 'preact/hooks';
import { api, type CronJobEntry } from '@nightshift/protocol';
import { call } from '../lib/api';
import { duration, local } from '../lib/format';
import { href, navigate } from '../lib/router';
import { useData } from '../lib/use-data';
import { RunsTable, StatusPill } from '../components/RunsTable';
import { Cmd, Empty, ErrorNote, Loading } from '../components/States';
import { Time } from '../components/Time';
import { TableHead } from '../components/TableHead';

/** The app's cron jobs: schedule (always UTC), next slot, last run. */
export function CronList({ app }: { app: string }) {
  const jobs = useData(() => call(api.cronJobs, { params: { app } }), [app]);
  if (!jobs.value) return jobs.error ? <ErrorNote error={jobs.error} /> : <Loading />;
  if (jobs.value.length === 0) {
    return (
      <Empty title={`${app} has no cron jobs.`}>
        Add a <code>cron:</code> entry (name, schedule, command) to <code>.paas/app.yaml</code> and{' '}
        <Cmd>nightshift deploy</Cmd>.
      </Empty>
    );
  }
  return (
    <div data-ready="cron">
      <h1>Cron jobs</h1>
      <ErrorNote error={jobs.error} />
      <div class="scroll">
        <table>
          <TableHead columns={['Job', 'Schedule (UTC)', 'Next slot', 'Last run', 'Status']} />
          <tbody>
            {jobs.value.map((j) => (
              <tr key={j.name}>
                <th scope="row">
                  <a href={href('apps', app, 'cron', j.name)}>{j.name}</a>
                </th>
                <td>
                  <code>{j.schedule}</code>
                </td>
                <td>
                  {j.suspended ? (
                    <span class="pill">suspended</span>
                  ) : (
                    <Time iso={j.nextSlot} fallback="none" />
                  )}
                </td>
                <td>
                  <Time iso={j.lastRun?.startedAt} fallback="never" />
                </td>
                <td>{j.lastRun ? <StatusPill status={j.lastRun.status} /> : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** One job: its schedule in UTC and local time, Run now, suspend/resume, and its history. */
export function CronJob({ app, job }: { app: string; job: string }) {
  const jobs = useData(() => call(api.cronJobs, { params: { app } }), [app]);
  const history = useData(
    () => call(api.cronHistory, { params: { app, job }, query: { n: 50 } }),
    [app, job],
    1500,
  );
  const entry = jobs.value?.find((j) => j.name === job);
  if (!jobs.value) return jobs.error ? <ErrorNote error={jobs.error} /> : <Loading />;
  if (!entry) {
    return (
      <Empty title={`${app} has no cron job named ${job}.`}>
        <a href={href('apps', app, 'cron')}>See the app's cron jobs</a>.
      </Empty>
    );
  }
  const reload = () => {
    jobs.reload();
    history.reload();
  };
  return (
    <div data-ready="job">
      <h1>{job}</h1>
      <JobFacts job={entry} />
      <JobActions app={app} job={entry} onChange={reload} />
      <h2>History</h2>
      <ErrorNote error={history.error} />
      {!history.value ? (
        <Loading />
      ) : history.value.length === 0 ? (
        <Empty title="No runs yet.">
          The first comes at the next slot, or now with <strong>Run now</strong> above (
          <Cmd>{`nightshift cron run ${job} --app ${app}`}</Cmd>).
        </Empty>
      ) : (
        <RunsTable app={app} runs={history.value} />
      )}
    </div>
  );
}

function JobFacts({ job }: { job: CronJobEntry }) {
  return (
    <dl class="facts">
      <dt>Schedule</dt>
      <dd>
        <code>{job.schedule}</code> in UTC
      </dd>
      <dt>Next slots</dt>
      <dd>
        {job.suspended ? (
          'none while suspended'
        ) : job.nextSlots.length ? (
          <ul class="slots" data-testid="next-slots">
            {job.nextSlots.map((slot) => (
              <li key={slot}>
                <Time iso={slot} /> <span class="muted">({local(slot)})</span>
              </li>
            ))}
          </ul>
        ) : (
          'none: the schedule has no slot left'
        )}
      </dd>
      <dt>Command</dt>
      <dd>
        <code>{job.command}</code>
      </dd>
      <dt>Overlap</dt>
      <dd>{job.overlap.replace('_', ' ')}</dd>
      <dt>Timeout</dt>
      <dd>{job.timeoutMs === null ? 'none' : duration(job.timeoutMs)}</dd>
    </dl>
  );
}

function JobActions({ app, job, onChange }: { app: string; job: CronJobEntry; onChange: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await what();
      onChange();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const params = { app, job: job.name };
  return (
    <div class="controls">
      <button
        type="button"
        class="primary"
        disabled={busy}
        onClick={() =>
          void act(async () => {
            const run = await call(api.cronRun, { params, body: {} });
            navigate(href('apps', app, 'runs', run.id));
          })
        }
      >
        Run now
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() =>
          void act(async () => {
            await call(job.suspended ? api.cronResume : api.cronSuspend, { params });
          })
        }
      >
        {job.suspended ? 'Resume' : 'Suspend'}
      </button>
      <ErrorNote error={error} />
    </div>
  );
}
