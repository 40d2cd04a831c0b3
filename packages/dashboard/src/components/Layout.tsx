import type { ComponentChildren } from 'preact';
import { api } from '@nightshift/protocol';
import { call } from '../lib/api';
import { href, type Route } from '../lib/router';

const TABS: readonly (readonly [Route['name'], string, string])[] = [
  ['app', 'Processes', ''],
  ['cron', 'Cron', 'cron'],
  ['queues', 'Queues', 'queues'],
  ['events', 'Events', 'events'],
  ['releases', 'Releases', 'releases'],
  ['config', 'Config & secrets', 'config'],
  ['usage', 'Usage', 'usage'],
];

/** Which tab a page belongs to (a process page is under Processes, a job or run under Cron). */
function tabOf(name: Route['name']): Route['name'] {
  if (name === 'process') return 'app';
  if (name === 'job' || name === 'run') return 'cron';
  return name;
}

export function Layout({
  route,
  onLoggedOut,
  children,
}: {
  route: Route;
  onLoggedOut: () => void;
  children: ComponentChildren;
}) {
  const app = route.params.app;
  const current = tabOf(route.name);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          Nightshift
        </a>
        {app ? (
          <span class="crumb">
            <span aria-hidden="true">/</span> <a href={href('apps', app)}>{app}</a>
          </span>
        ) : null}
        <button
          class="link logout"
          type="button"
          onClick={() => void call(api.logout, {}).finally(onLoggedOut)}
        >
          Log out
        </button>
      </header>
      {app ? (
        <nav class="tabs" aria-label={`${app} pages`}>
          {TABS.map(([name, label, sub]) => (
            <a
              key={name}
              href={sub ? href('apps', app, sub) : href('apps', app)}
              aria-current={current === name ? 'page' : undefined}
            >
              {label}
            </a>
          ))}
        </nav>
      ) : null}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
