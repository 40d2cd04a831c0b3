/** The root logger: pino, one JSON object a line, with the service fields the daemon's log pipeline indexes. */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { WorkerConfig } from './options.js';

/**
 * Creates the worker's root logger. `service` is the worker's name; `app`, `process`, `replica` and `release`
 * come from `NIGHTSHIFT_*` when the daemon runs the worker.
 */
export function createRootLogger(config: WorkerConfig, destination?: DestinationStream): Logger {
  const { name, app, process: processName, replica, release } = config.service;
  const base: Record<string, string | number> = { service: name, pid: process.pid };
  if (app !== undefined) base.app = app;
  if (processName !== undefined) base.process = processName;
  if (replica !== undefined) base.replica = replica;
  if (release !== undefined) base.release = release;
  const options = { level: config.logLevel, base };
  return destination ? pino(options, destination) : pino(options);
}
