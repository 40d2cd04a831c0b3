import { ErrorCodes, NightshiftError } from '@nightshift/protocol';

/** Errors of `listen` that mean "this address cannot be ours", so another port is the fix. */
const UNBINDABLE = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL']);

/**
 * The daemon's error when its TCP listener cannot bind: what is taken, and the two ways to pick another port.
 * Anything else comes back unchanged.
 */
export function tcpListenError(err: unknown, host: string, port: number): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === undefined || !UNBINDABLE.has(code)) return err;
  const what =
    code === 'EADDRINUSE'
      ? `${host}:${port} is already in use by another program`
      : `${host}:${port} cannot be listened on (${code})`;
  const other = port > 0 && port < 65535 ? port + 1 : 7301;
  return new NightshiftError(
    ErrorCodes.daemonPortInUse,
    `the daemon's API cannot listen: ${what}; the daemon did not start`,
    `stop that program, or give the daemon another port: NIGHTSHIFT_HTTP_PORT=${other} nightshift up, or nightshift daemon --port ${other} (0 picks any free port)`,
    { cause: err },
  );
}

/** The same for NIGHTSHIFT_METRICS_LISTEN's listener: the fix is another value of that variable. */
export function metricsListenError(err: unknown, host: string, port: number): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === undefined || !UNBINDABLE.has(code)) return err;
  return new NightshiftError(
    ErrorCodes.daemonPortInUse,
    `the daemon's /metrics listener cannot listen on ${host}:${port} (${code}); the daemon did not start`,
    `stop the program that holds it, or set another port: NIGHTSHIFT_METRICS_LISTEN=${host}:${port < 65535 ? port + 1 : 9101}`,
    { cause: err },
  );
}
