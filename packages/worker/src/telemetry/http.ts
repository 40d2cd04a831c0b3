/**
 * `/metrics` (Prometheus text format) on METRICS_PORT and `/healthz` on HEALTH_PORT; one server when both ports
 * are the same. `/healthz` answers 200 while the consumer is connected and the event loop keeps up, else 503,
 * with the details as JSON either way.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import type { AdapterHealth } from '../sources/types.js';

/** What `/healthz` reports. */
export interface HealthReport {
  readonly status: 'ok' | 'unhealthy';
  readonly state: string;
  readonly consumer: AdapterHealth & { readonly kind: string; readonly queue: string };
  /** Event-loop delay since the previous report, in milliseconds. */
  readonly eventLoopDelayMs: { readonly p99: number; readonly max: number };
  readonly inFlight: number;
}

/** The inputs of a health report. */
export interface HealthSource {
  readonly kind: string;
  readonly queue: string;
  readonly maxEventLoopDelayMs: number;
  consumer(): AdapterHealth;
  state(): string;
  inFlight(): number;
}

/** The running telemetry servers. */
export interface TelemetryServers {
  /** Bound ports (useful when 0 asked for any free port). */
  readonly metricsPort: number | undefined;
  readonly healthPort: number | undefined;
  health(): HealthReport;
  close(): Promise<void>;
}

/**
 * Starts the servers the ports ask for (none when both are undefined).
 *
 * @example
 * const servers = await startTelemetry({ metricsPort: 9464, healthPort: 8081, registry, health });
 */
export async function startTelemetry(options: {
  metricsPort: number | undefined;
  healthPort: number | undefined;
  registry: Registry;
  health: HealthSource;
}): Promise<TelemetryServers> {
  const { metricsPort, healthPort, registry, health } = options;
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const report = (): HealthReport => {
    const p99 = delay.percentile(99) / 1e6;
    const max = delay.max / 1e6;
    delay.reset();
    const consumer = health.consumer();
    const state = health.state();
    const ok = consumer.connected && state === 'running' && p99 <= health.maxEventLoopDelayMs;
    return {
      status: ok ? 'ok' : 'unhealthy',
      state,
      consumer: { kind: health.kind, queue: health.queue, ...consumer },
      eventLoopDelayMs: { p99: round(p99), max: round(max) },
      inFlight: health.inFlight(),
    };
  };

  const handle =
    (serveMetrics: boolean, serveHealth: boolean) => (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return send(res, 405, 'text/plain', 'method not allowed\n');
      if (serveMetrics && path === '/metrics') {
        registry.metrics().then(
          (text) => send(res, 200, registry.contentType, text),
          (error: unknown) => send(res, 500, 'text/plain', `metrics failed: ${String(error)}\n`),
        );
        return;
      }
      if (serveHealth && (path === '/healthz' || path === '/health')) {
        const body = report();
        return send(res, body.status === 'ok' ? 200 : 503, 'application/json', `${JSON.stringify(body)}\n`);
      }
      send(res, 404, 'text/plain', 'not found\n');
    };

  const servers: Server[] = [];
  let boundMetrics: number | undefined;
  let boundHealth: number | undefined;
  try {
    if (metricsPort !== undefined && metricsPort === healthPort && metricsPort !== 0) {
      const server = await listen(handle(true, true), metricsPort);
      servers.push(server);
      boundMetrics = boundHealth = (server.address() as AddressInfo).port;
    } else {
      if (metricsPort !== undefined) {
        const server = await listen(handle(true, false), metricsPort);
        servers.push(server);
        boundMetrics = (server.address() as AddressInfo).port;
      }
      if (healthPort !== undefined) {
        const server = await listen(handle(false, true), healthPort);
        servers.push(server);
        boundHealth = (server.address() as AddressInfo).port;
      }
    }
  } catch (error) {
    await Promise.all(servers.map(close));
    delay.disable();
    throw error;
  }
  return {
    metricsPort: boundMetrics,
    healthPort: boundHealth,
    health: report,
    async close() {
      delay.disable();
      await Promise.all(servers.map(close));
    },
  };
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    // Probes and scrapers must never keep a stopping worker alive.
    server.keepAliveTimeout = 1000;
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      server.unref();
      resolve(server);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
