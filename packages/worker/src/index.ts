/**
 * @nightshift/worker: run a queue worker with a root container per process and a scope per job.
 *
 * The public surface is this file. Everything else is internal.
 */
export { defineWorker, isWorkerDefinition } from './definition.js';
export type {
  AnyWorkerDefinition,
  Factory,
  JobBuiltins,
  JobDeps,
  JobServices,
  JobTools,
  Registration,
  Resolvable,
  RootBuiltins,
  RootDeps,
  Services,
  WorkerDefinition,
  WorkerOptions,
} from './definition.js';
export { runWorker } from './run.js';
export type { RunningWorker, RunOptions, WorkerState } from './run.js';
export type { ConfigOverrides, WorkerConfig } from './options.js';
export { NonRetriableError, RetryAfterError, isNonRetriableError, retryAfterOf } from './control.js';
export { WorkerError, isWorkerError } from './errors.js';
export type { WorkerErrorCode } from './errors.js';
export type { BackoffOptions, RetryOptions, RetryPolicy, Settlement } from './retry.js';
export type { Job, JobContext, Trigger } from './job/types.js';
export { bullmq, bullmqPrefix } from './sources/bullmq.js';
export type { BullmqSourceOptions } from './sources/bullmq.js';
export { rabbitmq } from './sources/rabbitmq.js';
export type { RabbitmqSourceOptions } from './sources/rabbitmq.js';
export { jetstream } from './sources/jetstream.js';
export type { JetstreamSourceOptions } from './sources/jetstream.js';
export { redisStream } from './sources/redis-stream.js';
export type { RedisStreamSourceOptions } from './sources/redis-stream.js';
export { schedule } from './sources/schedule.js';
export type { ScheduleSourceOptions } from './sources/schedule.js';
export type {
  AdapterConsumer,
  AdapterHealth,
  QueueAdapter,
  Settle,
  SourceContext,
  SourceSpec,
} from './sources/types.js';
export type { HealthReport } from './telemetry/http.js';
