import { hostname as osHostname } from 'node:os';
import { Drain } from './drain.js';
import { lokiTransport, ndjsonTransport } from './http.js';
import type { DrainOptions } from './options.js';
import { syslogTransport } from './syslog.js';
import { maskUrl, parseDrainUrl } from './url.js';

/**
 * Creates a drain for `url` (`syslog+tcp://`, `syslog+tls://`, `https://`, `loki+https://`, `loki+http://`);
 * throws `NS_DRAIN_URL_INVALID` for anything else.
 */
export function createDrain(url: string, options: DrainOptions = {}): Drain {
  const endpoint = parseDrainUrl(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transport =
    endpoint.kind === 'syslog'
      ? syslogTransport({
          ...endpoint,
          ca: options.ca,
          hostname: options.hostname ?? osHostname(),
          connectTimeoutMs: timeoutMs,
        })
      : endpoint.kind === 'https'
        ? ndjsonTransport({ ...endpoint, ca: options.ca, timeoutMs })
        : lokiTransport({ ...endpoint, ca: options.ca, timeoutMs });
  return new Drain(maskUrl(url), transport, options);
}
