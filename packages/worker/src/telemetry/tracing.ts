/**
 * Optional OpenTelemetry: when `@opentelemetry/api` is installed and an SDK is registered, each job runs inside a
 * CONSUMER span (named `<queue> process`), so spans the handler's own libraries create become its children.
 * Without the package nothing is loaded. The few API members used are typed here, so the SDK has no type dependency on OTel.
 */
import type { Job } from '../job/types.js';

interface Span {
  setAttribute(key: string, value: string | number | boolean): unknown;
  recordException(exception: unknown): void;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}
interface Tracer {
  startActiveSpan<T>(
    name: string,
    options: { kind: number; attributes: Record<string, string | number> },
    fn: (span: Span) => T,
  ): T;
}
interface OtelApi {
  trace: {
    getTracer(name: string, version?: string): Tracer;
    /** The global proxy provider; `getDelegateTracer` answers `undefined` while no SDK is registered. */
    getTracerProvider(): { getDelegateTracer?(name: string): Tracer | undefined };
  };
}

const TRACER_NAME = '@nightshift/worker';

// Values of the API's SpanKind and SpanStatusCode enums (stable since 1.0).
const SPAN_KIND_CONSUMER = 4;
const STATUS_ERROR = 2;

/** Runs handlers inside spans. */
export interface TraceJob {
  /** Whether a span would be recorded now (an SDK is registered); checked per job, before building anything. */
  enabled(): boolean;
  /** Runs `run` inside a CONSUMER span for `job`. */
  span(job: Job, run: () => unknown): Promise<unknown>;
}

/** Loads OpenTelemetry if it is installed and `enabled`; `undefined` otherwise. */
export async function loadTracing(enabled: boolean): Promise<TraceJob | undefined> {
  if (!enabled) return undefined;
  let api: OtelApi;
  try {
    // A variable specifier keeps TypeScript (and bundlers) from requiring the optional package.
    const specifier = '@opentelemetry/api';
    api = (await import(specifier)) as OtelApi;
  } catch {
    return undefined;
  }
  // Without a registered SDK every span would be a no-op that still costs an allocation and a context switch
  // per job (measurable at thousands of jobs per second), so spans start only once a real provider is there;
  // it is looked up per job until found, so an SDK started after the worker is still picked up.
  const provider = api.trace.getTracerProvider();
  let tracer: Tracer | undefined;
  const current = (): Tracer | undefined =>
    (tracer ??=
      typeof provider.getDelegateTracer === 'function'
        ? provider.getDelegateTracer(TRACER_NAME)
        : api.trace.getTracer(TRACER_NAME));
  return {
    enabled: () => current() !== undefined,
    span: (job, run) =>
      current()!.startActiveSpan(
        `${job.queue} process`,
        {
          kind: SPAN_KIND_CONSUMER,
          attributes: {
            'messaging.destination.name': job.queue,
            'messaging.message.id': job.id,
            'nightshift.job.attempt': job.attempt,
            'nightshift.job.trigger': job.trigger,
          },
        },
        async (span) => {
          try {
            return await run();
          } catch (error) {
            span.recordException(error instanceof Error ? error : String(error));
            span.setStatus({
              code: STATUS_ERROR,
              message: error instanceof Error ? error.message : String(error),
            });
            throw error;
          } finally {
            span.end();
          }
        },
      ),
  };
}
