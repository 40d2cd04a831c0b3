import { LogError } from '../errors.js';

/** Where a drain sends lines, parsed from its URL. */
export type DrainEndpoint =
  | { readonly kind: 'syslog'; readonly tls: boolean; readonly host: string; readonly port: number }
  | { readonly kind: 'https'; readonly url: URL; readonly authorization: string | null }
  | { readonly kind: 'loki'; readonly url: URL; readonly authorization: string | null };

export const DRAIN_SCHEMES = ['syslog+tcp://', 'syslog+tls://', 'https://', 'loki+https://', 'loki+http://'] as const;

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
      return { kind: 'syslog', tls: url.protocol === 'syslog+tls:', host: url.hostname.replace(/^\[|\]$/g, ''), port };
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

/** The URL as safe to show: without its password. */
export function redactUrl(text: string): string {
  return text.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}

function invalid(text: string, why: string, cause?: unknown): LogError {
  return new LogError(
    'NS_DRAIN_URL_INVALID',
    `drain URL ${JSON.stringify(redactUrl(text))} is not valid: ${why}`,
    `use one of ${DRAIN_SCHEMES.join(', ')}, e.g. syslog+tls://logs.example.com:6514 or https://collector.example.com/ingest`,
    { cause },
  );
}
