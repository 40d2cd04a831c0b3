import { isCodedError } from '@nightshift/protocol';
import { parseDaemonConfig } from './config.js';
import { startDaemon } from './main.js';

/**
 * `nightshift daemon`: runs in the foreground until SIGTERM/SIGINT or `daemon stop`.
 * Returns the exit status: 0 after a clean stop, 1 when it could not start.
 */
export async function runDaemon(flags: { port?: string | undefined; host?: string | undefined }): Promise<number> {
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let daemon;
  try {
    daemon = await startDaemon(parseDaemonConfig(process.env, flags), log);
  } catch (err) {
    if (isCodedError(err)) {
      process.stderr.write(`error ${err.code}: ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ''}`);
    } else {
      process.stderr.write(`error NS_DAEMON_START_FAILED: ${(err as Error).stack ?? String(err)}\n`);
    }
    return 1;
  }
  log(`daemon ${daemon.info.pid} listening (home ${daemon.info.home}, http 127.0.0.1:${daemon.info.httpPort})`);
  const onSignal = () => void daemon.stop();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  await daemon.stopped;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  log('daemon stopped');
  return 0;
}
