import { useEffect, useState } from 'preact/hooks';
import { whenUnauthorized } from './lib/api';
import { navigate, useRoute, type Route } from './lib/router';
import { Layout } from './components/Layout';
import { Empty, Loading } from './components/States';
import { lazyPage } from './lib/lazy';
import { Login } from './pages/Login';
import { Overview } from './pages/Overview';
import { CronJob, CronList } from './pages/Cron';
import { RunDetail } from './pages/RunDetail';
import { Events } from './pages/Events';
import { Releases } from './pages/Releases';
import { Config } from './pages/Config';
import { Usage } from './pages/Usage';
import { Queues } from './pages/Queues';

const ProcessDetail = lazyPage(
  () => import('./pages/ProcessDetail').then((m) => m.ProcessDetail),
  () => <Loading />,
);

const TITLES: Partial<Record<Route['name'], string>> = {
  overview: 'Apps',
  cron: 'Cron',
  events: 'Events',
  releases: 'Releases',
  config: 'Config & secrets',
  usage: 'Usage',
  queues: 'Queues',
};

/**
 * The page shell: the login form whenever the API says 401 (no session yet, or it ended), else the page of
 * the current path. After a login the same path is shown, so a bookmarked page opens where it was.
 */
export function App() {
  const route = useRoute();
  const [loggedOut, setLoggedOut] = useState(route.name === 'login' || location.hash.includes('code='));
  useEffect(() => whenUnauthorized(() => setLoggedOut(true)), []);
  useEffect(() => {
    const p = route.params;
    const what = p.process ?? p.job ?? (p.id ? `run #${p.id}` : undefined) ?? TITLES[route.name];
    document.title = [what, p.app, 'Nightshift'].filter(Boolean).join(' · ');
  }, [route]);

  if (loggedOut) {
    return (
      <Login
        onLoggedIn={() => {
          if (location.pathname === '/login') navigate('/', true);
          setLoggedOut(false);
        }}
      />
    );
  }
  return (
    <Layout route={route} onLoggedOut={() => setLoggedOut(true)}>
      <Page route={route} />
    </Layout>
  );
}

function Page({ route }: { route: Route }) {
  const p = route.params;
  const app = p.app ?? '';
  switch (route.name) {
    case 'overview':
    case 'login':
      return <Overview />;
    case 'app':
      return <Overview app={app} />;
    case 'process':
      return <ProcessDetail app={app} process={p.process ?? ''} />;
    case 'cron':
      return <CronList app={app} />;
    case 'job':
      return <CronJob app={app} job={p.job ?? ''} />;
    case 'run':
      return <RunDetail app={app} id={p.id ?? ''} />;
    case 'events':
      return <Events app={app} />;
    case 'releases':
      return <Releases app={app} />;
    case 'config':
      return <Config app={app} />;
    case 'usage':
      return <Usage app={app} />;
    case 'queues':
      return <Queues app={app} />;
    case 'missing':
      return (
        <Empty title="There is no such page.">
          <a href="/">Go to the apps</a>.
        </Empty>
      );
  }
}
