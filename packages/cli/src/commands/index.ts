import type { Command } from '@commander-js/extra-typings';
import { registerApps } from './apps.js';
import { registerAutoscale } from './autoscale.js';
import { registerCompletion } from './completion.js';
import { registerConfig } from './config.js';
import { registerCron } from './cron.js';
import { registerDaemon } from './daemon.js';
import { registerDashboard } from './dashboard.js';
import { registerDoctor } from './doctor.js';
import { registerDrains } from './drains.js';
import { registerEvents } from './events.js';
import { registerInit } from './init.js';
import { registerLifecycle } from './lifecycle.js';
import { registerLogs } from './logs.js';
import { registerMetrics } from './metrics.js';
import { registerPs } from './ps.js';
import { registerTop } from './top.js';
import { registerRollback } from './rollback.js';
import { registerRun } from './run.js';
import { registerScale } from './scale.js';
import { registerSecrets } from './secrets.js';
import { registerQueues } from './queues.js';
import { registerRedis } from './redis.js';
import { registerRender } from './render.js';
import { registerUp } from './up.js';
import { registerUsage } from './usage.js';
import { registerValidate } from './validate.js';

/** A command registers itself (and its subcommands) on the root program. */
export type RegisterCommand = (program: Command) => void;

/** Every top-level command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [
  registerUp,
  registerDaemon,
  registerPs,
  registerTop,
  registerMetrics,
  registerScale,
  registerAutoscale,
  registerLifecycle,
  registerLogs,
  registerDrains,
  registerEvents,
  registerUsage,
  registerCron,
  registerConfig,
  registerSecrets,
  registerRedis,
  registerQueues,
  registerApps,
  registerDashboard,
  registerRollback,
  registerRun,
  registerRender,
  registerValidate,
  registerInit,
  registerDoctor,
  registerCompletion,
];
