import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { API_PREFIX } from '@nightshift/protocol';

/**
 * The dashboard's built files (`npm run build` writes them into this package's `dist/dashboard/`, with a `.gz`
 * beside each text file, so the daemon never loads zlib to compress). Every path that is not an asset is a
 * page of the single-page app and gets `index.html`: with a session 200, without one 401, and the page shows
 * its login form. Assets need no session: they are the same for everyone and carry no data.
 */
export function dashboardPages(
  root = dashboardDir(),
): (req: IncomingMessage, res: ServerResponse, authorized: boolean) => void {
  // Files found are kept (a few, of a known size); misses are not, so requests for made-up names, which
  // need no session, cannot grow the daemon's memory.
  const cache = new Map<string, { body: Buffer; gzip: Buffer | null }>();
  const read = (rel: string) => {
    const kept = cache.get(rel);
    if (kept) return kept;
    const file = join(root, rel);
    // Only regular files: `/assets/` names a folder, and reading one throws.
    if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return null;
    const found = {
      body: readFileSync(file),
      gzip: existsSync(`${file}.gz`) ? readFileSync(`${file}.gz`) : null,
    };
    cache.set(rel, found);
    return found;
  };
  return (req, res, authorized) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', Buffer.from('method not allowed\n'), null, req);
      return;
    }
    const path = (req.url ?? '/').split(/[?#]/)[0]!;
    if (path.startsWith('/assets/')) {
      const rel = normalize(path.slice(1));
      const file = rel.startsWith(`assets${sep}`) ? read(rel) : null;
      if (!file) {
        send(res, 404, 'text/plain; charset=utf-8', Buffer.from('not found\n'), null, req);
        return;
      }
      // Names carry a content hash (Vite): a browser may keep them for good.
      res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      send(res, 200, typeOf(rel), file.body, file.gzip, req);
      return;
    }
    const index = read('index.html');
    if (!index) {
      const text = 'the dashboard was not built: run `npm run build` in the Nightshift checkout\n';
      send(res, 503, 'text/plain; charset=utf-8', Buffer.from(text), null, req);
      return;
    }
    res.setHeader('cache-control', 'no-store');
    if (authorized && path === '/') res.setHeader('link', OVERVIEW_PRELOAD);
    send(res, authorized ? 200 : 401, 'text/html; charset=utf-8', index.body, index.gzip, req);
  };
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: Buffer,
  gzip: Buffer | null,
  req: IncomingMessage,
): void {
  const zipped = gzip !== null && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const out = zipped ? gzip : body;
  res.writeHead(status, {
    'content-type': type,
    'content-length': out.length,
    vary: 'accept-encoding',
    ...(zipped ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : out);
}

/**
 * The overview's three API calls (packages/dashboard/src/pages/Overview.tsx), preloaded by the browser while it
 * still fetches and compiles the page's script: the data is there when the script asks for it. Should the page
 * ask for other data, these are only unused (Chromium says so in the console), never wrong.
 */
const OVERVIEW_PRELOAD = ['/apps', '/ps', '/cron']
  .map((path) => `<${API_PREFIX}${path}>; rel=preload; as=fetch; crossorigin`)
  .join(', ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function typeOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return TYPES[file.slice(dot)] ?? 'application/octet-stream';
}

/** Resolved through the package's own name, so the path holds from dist/ and from the bundle alike. */
export function dashboardDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@nightshift/daemon/package.json');
  return join(dirname(pkg), 'dist', 'dashboard');
}
