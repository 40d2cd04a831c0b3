import { isIP, connect as netConnect, type Socket } from 'node:net';
import type { LogLine } from '../logs/types.js';
import { DeliveryError, type Transport } from './transport.js';
import { nodeTls } from '../runtime/builtins.js';

/** Our SD-ID; 32473 is the private enterprise number RFC 5612 reserves for documentation and examples. */
const SD_ID = 'nightshift@32473';
const FACILITY_USER = 1;
const SEVERITY = { out: 6, err: 3 } as const;

/**
 * One RFC 5424 message for a line: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG`, with the app
 * as APP-NAME, the replica as PROCID, the stream as MSGID, and the same (plus process and id) as structured
 * data. stdout is severity info, stderr error, both in the user facility.
 */
export function formatSyslog(line: LogLine, hostname: string): string {
  const pri = FACILITY_USER * 8 + SEVERITY[line.stream];
  const sd = `[${SD_ID} process="${sdValue(line.process)}" replica="${sdValue(line.source)}" stream="${line.stream}" id="${line.id}"]`;
  const header = `<${pri}>1 ${new Date(line.time).toISOString()} ${field(hostname, 255)} ${field(line.app, 48)} ${field(line.source, 128)} ${line.stream}`;
  return `${header} ${sd} ${line.message}`;
}

/** RFC 6587 octet counting: the message's length in bytes, a space, the message. */
export function frameOctetCounted(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`;
}

/** A header field: printable US-ASCII without spaces, at most `max` characters, `-` when empty. */
function field(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean === '' ? '-' : clean;
}

function sdValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

export interface SyslogOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** Extra trusted CA (PEM) for TLS, e.g. a test or private CA. */
  readonly ca?: string | Buffer;
  readonly hostname: string;
  readonly connectTimeoutMs: number;
}

/**
 * Sends octet-counted frames over one long-lived TCP or TLS connection, reconnecting after an error. A batch
 * counts as delivered once the socket accepted it (syslog over TCP has no acknowledgement).
 */
export function syslogTransport(options: SyslogOptions): Transport {
  let socket: Socket | null = null;
  let broken: Error | null = null;

  const open = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const { host, port, tls, ca, connectTimeoutMs } = options;
      const s = tls
        ? nodeTls().connect({ host, port, ca, ...(isIP(host) === 0 ? { servername: host } : {}) })
        : netConnect({ host, port });
      const timer = setTimeout(
        () => s.destroy(new Error(`connect timeout after ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      );
      const fail = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      s.once('error', fail);
      s.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        s.off('error', fail);
        broken = null;
        s.on('error', (error: Error) => {
          broken = error;
        });
        s.on('close', () => {
          if (socket === s) socket = null;
        });
        // The receiver sends nothing; reading keeps the close of the connection visible.
        s.resume();
        resolve(s);
      });
    });

  return {
    maxBatch: 500,
    async send(lines) {
      try {
        socket ??= await open();
        const current = socket;
        const payload = lines.map((line) => frameOctetCounted(formatSyslog(line, options.hostname))).join('');
        await new Promise<void>((resolve, reject) =>
          current.write(payload, (error) => (error ? reject(error) : resolve())),
        );
        if (broken !== null) throw broken;
      } catch (error) {
        socket?.destroy();
        socket = null;
        throw new DeliveryError(
          `syslog ${options.host}:${options.port}: ${(error as Error).message}`,
          true,
          error,
        );
      }
    },
    close() {
      socket?.end();
      socket = null;
    },
  };
}
