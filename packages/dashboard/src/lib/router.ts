import { useEffect, useState } from 'preact/hooks';

/**
 * Paths, not hashes: each page has a real URL the daemon answers (with the same index.html), so a link can be
 * bookmarked, shared with a colleague on the same machine, or opened in a new tab.
 */
export interface Route {
  readonly name:
    | 'overview'
    | 'login'
    | 'app'
    | 'process'
    | 'cron'
    | 'job'
    | 'run'
    | 'events'
    | 'releases'
    | 'config'
    | 'usage'
    | 'queues'
    | 'missing';
  readonly params: Readonly<Record<string, string>>;
}

const PATTERNS: readonly (readonly [Route['name'], RegExp, readonly string[]])[] = [
  ['overview', /^\/$/, []],
  ['login', /^\/login$/, []],
  ['app', /^\/apps\/([^/]+)$/, ['app']],
  ['process', /^\/apps\/([^/]+)\/processes\/([^/]+)$/, ['app', 'process']],
  ['cron', /^\/apps\/([^/]+)\/cron$/, ['app']],
  ['job', /^\/apps\/([^/]+)\/cron\/([^/]+)$/, ['app', 'job']],
  ['run', /^\/apps\/([^/]+)\/runs\/(\d+)$/, ['app', 'id']],
  ['events', /^\/apps\/([^/]+)\/events$/, ['app']],
  ['releases', /^\/apps\/([^/]+)\/releases$/, ['app']],
  ['config', /^\/apps\/([^/]+)\/config$/, ['app']],
  ['usage', /^\/apps\/([^/]+)\/usage$/, ['app']],
  ['queues', /^\/apps\/([^/]+)\/queues$/, ['app']],
];

export function parseRoute(path: string): Route {
  for (const [name, re, keys] of PATTERNS) {
    const m = re.exec(path);
    if (m)
      return { name, params: Object.fromEntries(keys.map((k, i) => [k, decodeURIComponent(m[i + 1]!)])) };
  }
  return { name: 'missing', params: {} };
}

/** Builds a page's path from its parts, each encoded. */
export function href(...parts: readonly (string | number)[]): string {
  return '/' + parts.map((p) => encodeURIComponent(String(p))).join('/');
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current route, updated on navigation. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => {
      setRoute(parseRoute(location.pathname));
      window.scrollTo(0, 0);
    };
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

/**
 * Same-origin links are followed without reloading the page; a modified click (new tab) and other origins
 * are left to the browser. One listener on the document instead of a component per link.
 */
export function interceptLinks(): void {
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest('a');
    if (!a || a.target || a.origin !== location.origin || a.hasAttribute('download')) return;
    e.preventDefault();
    if (a.pathname !== location.pathname) navigate(a.pathname + a.search);
  });
}
