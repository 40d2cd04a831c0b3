import { z } from 'zod';
import type * as T from '../types.js';
import type * as S from '../secrets.js';
import type * as U from '../usage.js';
import type * as Q from '../queues.js';
import type * as D from '../dashboard.js';

/**
 * The answers' shapes as zod schemas, each held to its TypeScript interface (types.ts, secrets.ts) by its
 * annotation, so the two cannot drift apart silently.
 */
const iso = z.string();
const nullable = <S extends z.ZodType>(s: S) => s.nullable();

export const exitInfo: z.ZodType<T.ExitInfo> = z.object({
  code: nullable(z.number()),
  signal: nullable(z.string()),
  at: iso,
  cause: nullable(z.enum(['oom', 'memory_limit', 'unhealthy'])),
});

export const psEntry: z.ZodType<T.PsEntry> = z.object({
  app: z.string(),
  process: z.string(),
  replica: z.string(),
  state: z.enum([
    'pending',
    'starting',
    'running',
    'crashed',
    'backoff',
    'crash-loop',
    'failed',
    'stopping',
    'stopped',
  ]),
  pid: nullable(z.number()),
  startedAt: nullable(iso),
  restarts: z.number(),
  lastExit: nullable(exitInfo),
  nextRetryAt: nullable(iso),
  release: nullable(z.string()),
  health: nullable(z.string()),
  limits: nullable(
    z.object({
      memoryBytes: nullable(z.number()),
      cpu: nullable(z.number()),
      enforcement: z.enum(['kernel', 'soft']),
    }),
  ),
  cpuPercent: nullable(z.number()),
  memoryBytes: nullable(z.number()),
});

export const psResponse: z.ZodType<T.PsResponse> = z.object({
  replicas: z.array(psEntry),
  processes: z.array(
    z.object({
      app: z.string(),
      process: z.string(),
      desired: z.number(),
      manifest: z.number(),
      stopped: z.boolean(),
      autoscale: z.object({ min: z.number(), max: z.number() }).optional(),
    }),
  ),
  warnings: z.array(z.string()).optional(),
});

export const eventEntry: z.ZodType<T.EventEntry> = z.object({
  id: z.number(),
  time: iso,
  type: z.string(),
  app: z.string(),
  process: z.string().optional(),
  replica: z.string().optional(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
  count: z.number().optional(),
  lastTime: iso.optional(),
});

export const appEntry: z.ZodType<T.AppEntry> = z.object({
  name: z.string(),
  release: nullable(z.string()),
  createdAt: iso,
  processes: z.number(),
  replicas: z.number(),
});

export const releaseEntry: z.ZodType<T.ReleaseEntry> = z.object({
  version: z.string(),
  createdAt: iso,
  source: z.string(),
  status: z.enum(['building', 'succeeded', 'failed']),
  live: z.boolean(),
  outcome: z.enum([
    'live',
    'good',
    'rolled back by guard',
    'failed guard',
    'failed build',
    'failed to start',
    'building',
  ]),
  guard: nullable(
    z.object({
      state: z.enum(['watching', 'kept', 'rolled-back', 'failed', 'superseded']),
      until: nullable(iso),
      reason: nullable(z.string()),
    }),
  ),
});

export const guardWindow: z.ZodType<T.GuardWindow> = z.object({ watchMs: z.number(), until: iso });

export const rollbackResponse: z.ZodType<T.RollbackResponse> = z.object({
  app: z.string(),
  release: z.string(),
  previous: z.string(),
  guard: nullable(guardWindow),
});

export const deployResponse: z.ZodType<T.DeployResponse> = z.object({
  app: z.string(),
  release: z.string(),
  buildLogTail: z.array(z.string()),
  warnings: z.array(z.string()),
  guard: nullable(guardWindow),
});

export const daemonInfo: z.ZodType<T.DaemonInfo> = z.object({
  pid: z.number(),
  version: z.string(),
  home: z.string(),
  startedAt: iso,
  httpPort: z.number(),
  limits: z.object({
    enforcement: z.enum(['kernel', 'soft']),
    cgroups: nullable(z.enum(['v2', 'v1'])),
    reason: nullable(z.string()),
  }),
});

export const logEntry: z.ZodType<T.LogEntry> = z.object({
  id: z.string(),
  time: iso,
  source: z.string(),
  replica: nullable(z.string()),
  process: z.string(),
  stream: z.enum(['out', 'err']),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()).optional(),
  continued: z.literal(true).optional(),
});

export const cronRunEntry: z.ZodType<T.CronRunEntry> = z.object({
  id: z.number(),
  job: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  slot: nullable(iso),
  coalesced: z.number(),
  status: z.enum([
    'queued',
    'running',
    'succeeded',
    'failed',
    'timed_out',
    'interrupted',
    'skipped',
    'cancelled',
  ]),
  exitCode: nullable(z.number()),
  signal: nullable(z.string()),
  startedAt: nullable(iso),
  finishedAt: nullable(iso),
  durationMs: nullable(z.number()),
  release: nullable(z.string()),
  reason: nullable(z.string()),
});

export const cronJobEntry: z.ZodType<T.CronJobEntry> = z.object({
  name: z.string(),
  schedule: z.string(),
  command: z.string(),
  overlap: z.enum(['forbid', 'queue_one', 'replace', 'allow']),
  timeoutMs: nullable(z.number()),
  suspended: z.boolean(),
  nextSlot: nullable(iso),
  nextSlots: z.array(iso),
  lastRun: nullable(cronRunEntry),
  running: z.number(),
});

export const logDiskUsage: z.ZodType<T.LogDiskUsage> = z.object({
  apps: z.array(
    z.object({
      app: z.string(),
      bytes: z.number(),
      files: z.number(),
      compressedFiles: z.number(),
      oldestSegmentAt: nullable(iso),
      retainBytes: z.number(),
      maxAgeMs: nullable(z.number()),
    }),
  ),
  totalBytes: z.number(),
  totalCapBytes: nullable(z.number()),
});

export const drainStatus: z.ZodType<T.DrainStatus> = z.object({
  id: z.number(),
  url: z.string(),
  createdAt: iso,
  delivered: z.number(),
  undelivered: z.number(),
  buffered: z.number(),
  lastError: nullable(z.object({ message: z.string(), at: iso })),
});

const envVarStatus = z.enum(['deployed', 'staged', 'unused']);

export const secretEntry: z.ZodType<S.SecretEntry> = z.object({
  name: z.string(),
  digest: z.string(),
  createdAt: iso,
  updatedAt: iso,
  status: envVarStatus,
});

export const configEntry: z.ZodType<S.ConfigEntry> = z.object({
  name: z.string(),
  value: z.string(),
  createdAt: iso,
  updatedAt: iso,
  status: z.enum(['deployed', 'staged']),
});

export const varsChangeResponse: z.ZodType<S.VarsChangeResponse> = z.object({
  app: z.string(),
  names: z.array(z.string()),
  restart: z.enum(['rolling', 'staged', 'not-running', 'not-injected']),
  warnings: z.array(z.string()),
});

export const rotateKeyResponse: z.ZodType<S.RotateKeyResponse> = z.object({
  previous: z.string(),
  fingerprint: z.string(),
  secrets: z.number(),
});

export const redisInfo: z.ZodType<T.RedisInfo> = z.object({
  app: z.string(),
  mode: z.enum(['managed', 'external']),
  version: z.string(),
  user: z.string(),
  prefix: z.string(),
  policy: z.string(),
  usedMemory: z.number(),
  maxmemory: z.number(),
  rejectedWrites: z.number(),
  keys: z.number(),
  keysExact: z.boolean(),
  warnings: z.array(z.string()),
});

export const metricsResponse: z.ZodType<T.MetricsResponse> = z.object({
  step: z.number(),
  since: iso,
  series: z.array(
    z.object({
      process: z.string(),
      replica: z.string(),
      points: z.array(
        z.object({
          time: iso,
          cpuPercent: nullable(z.number()),
          memoryBytes: z.number(),
          memoryMaxBytes: z.number(),
          processes: z.number(),
        }),
      ),
    }),
  ),
});

const autoscaleSignal = z.object({
  signal: z.string(),
  value: z.number().nullable(),
  target: z.number(),
  recommendation: z.number().nullable(),
});

export const autoscaleStatus: z.ZodType<T.AutoscaleStatus> = z.object({
  app: z.string(),
  periodMs: z.number(),
  processes: z.array(
    z.object({
      process: z.string(),
      desired: z.number(),
      running: z.number(),
      min: z.number(),
      max: z.number(),
      boundsOverridden: z.boolean(),
      last: z
        .object({
          at: iso,
          from: z.number(),
          to: z.number(),
          recommendation: z.number(),
          windowMax: z.number(),
          bound: z.string().nullable(),
          signals: z.array(autoscaleSignal),
        })
        .nullable(),
      failing: z.object({ signal: z.string(), error: z.string(), since: iso }).nullable(),
    }),
  ),
});

export const autoscaleBoundsResult: z.ZodType<T.AutoscaleBoundsResult> = z.object({
  process: z.string(),
  min: z.number(),
  max: z.number(),
  from: z.number(),
  to: z.number(),
});

const usageAmounts = {
  replicaMinutes: z.number(),
  vcpuMinutes: z.number(),
  gibMinutes: z.number(),
  cost: nullable(z.number()),
  periods: z.number(),
};

export const usageReport: z.ZodType<U.UsageReport> = z.object({
  app: z.string(),
  since: iso,
  until: iso,
  by: z.enum(['process', 'day', 'region']),
  defaults: z.object({ cpu: z.number(), memoryBytes: z.number() }),
  prices: nullable(z.object({ vcpuMinute: z.number(), gibMinute: z.number() })),
  lines: z.array(z.object({ key: z.string(), ...usageAmounts })),
  totals: z.object(usageAmounts),
  periods: z
    .array(
      z.object({
        kind: z.enum(['replica', 'cron']),
        process: z.string(),
        unit: z.string(),
        region: z.string(),
        startedAt: iso,
        endedAt: nullable(iso),
        endReason: nullable(z.string()),
        cpu: z.number(),
        memoryBytes: z.number(),
        ...usageAmounts,
      }),
    )
    .optional(),
});

export const queueSummary: z.ZodType<Q.QueueSummary> = z.object({
  name: z.string(),
  paused: z.boolean(),
  counts: z.object({
    waiting: z.number(),
    active: z.number(),
    delayed: z.number(),
    failed: z.number(),
    completed: z.number(),
    paused: z.number(),
    prioritized: z.number(),
  }),
});

export const queueList: z.ZodType<Q.QueueList> = z.object({
  app: z.string(),
  where: z.enum(['managed', 'app']),
  queues: z.array(queueSummary),
});

export const queueCancelResult: z.ZodType<Q.QueueCancelResult> = z.object({
  app: z.string(),
  queue: z.string(),
  matched: z.number(),
  removed: z.number(),
  dryRun: z.boolean(),
});

export const loginCodeResponse: z.ZodType<D.LoginCodeResponse> = z.object({
  code: z.string(),
  expiresAt: iso,
  url: z.string(),
  loginUrl: z.string(),
});

export const sessionResponse: z.ZodType<D.SessionResponse> = z.object({ expiresAt: iso });
