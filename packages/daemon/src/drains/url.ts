import { LogError } from '../logs/errors.js';

/** Where a drain sends lines, parsed from its URL. */
export type DrainEndpoint =
  | { readonly kind: 'syslog'; readonly tls: boolean; readonly host: string; readonly port: number }
  | { readonly kind: 'https'; readonly url: URL; readonly authorization: string | null }
  | { readonly kind: 'loki'; readonly url: URL; readonly authorization: string | null };

export const DRAIN_SCHEMES = [
  'syslog+tcp://',
  'syslog+tls://',
  'https://',
  'loki+https://',
  'loki+http://',
] as const;

const SYSLOG_DEFAULT_PORT = { 'syslog+tcp:': 601, 'syslog+tls:': 6514 } as const;

/**
 * Checks a drain URL and says where it points. Credentials in an https or Loki URL become a Basic
 * `Authorization` header and are removed from the URL (so they never show in stats or errors).
 */
export function parseDrainUrl(text: string): DrainEndpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw invalid(text, 'it is not a URL', error);
  }
  if (url.hostname === '') throw invalid(text, 'it names no host');
  switch (url.protocol) {
    case 'syslog+tcp:':
    case 'syslog+tls:': {
      if (url.pathname !== '' && url.pathname !== '/') throw invalid(text, 'a syslog drain takes no path');
      const port = url.port === '' ? SYSLOG_DEFAULT_PORT[url.protocol] : Number(url.port);
      return {
        kind: 'syslog',
        tls: url.protocol === 'syslog+tls:',
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port,
      };
    }
    case 'https:':
      return { kind: 'https', ...withoutCredentials(url) };
    case 'loki+https:':
    case 'loki+http:': {
      const target = new URL(text.replace(/^loki\+/, ''));
      if (target.pathname === '/' || target.pathname === '') target.pathname = '/loki/api/v1/push';
      return { kind: 'loki', ...withoutCredentials(target) };
    }
    default:
      throw invalid(text, `the scheme ${url.protocol.replace(/:$/, '')} is not supported`);
  }
}

function withoutCredentials(url: URL): { url: URL; authorization: string | null } {
  if (url.username === '' && url.password === '') return { url, authorization: null };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  const clean = new URL(url.href);
  clean.username = '';
  clean.password = '';
  return { url: clean, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** Query keys whose values are credentials as often as not (`?token=…`, `?api_key=…`). */
const SECRET_QUERY_KEY = /token|key|secret|pass/i;

/**
 * A drain URL as safe to show in events, listings and errors: its password and token-like query values
 * replaced by `***`. Text that is not a URL (an error about it is being written) is masked the same way by
 * pattern, so a malformed URL never shows its credentials either.
 */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text
      .replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@')
      .replace(/([?&][^=&#]*(?:token|key|secret|pass)[^=&#]*=)[^&#]*/gi, '$1***');
  }
  if (url.password) url.password = '***';
  for (const key of [...url.searchParams.keys()]) {
    if (SECRET_QUERY_KEY.test(key)) url.searchParams.set(key, '***');
  }
  return url.toString();
}

function invalid(text: string, why: string, cause?: unknown): LogError {
  return new LogError(
    'NS_DRAIN_URL_INVALID',
    `drain URL ${JSON.stringify(maskUrl(text))} is not valid: ${why}`,
    `use one of ${DRAIN_SCHEMES.join(', ')}, e.g. syslog+tls://logs.example.com:6514 or https://collector.example.com/ingest`,
    { cause },
  );
}
