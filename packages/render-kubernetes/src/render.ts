import type { AppSpec } from '@nightshift/manifest';
import { renderConfig } from './config.js';
import type { RenderContext } from './context.js';
import { cronRegion, renderCron } from './cron.js';
import { newSink, refuse, warn, type DiagnosticSink } from './diagnostics.js';
import { configHash } from './env.js';
import { cronInstance, processName } from './names.js';
import { renderNetworkPolicies } from './network.js';
import { DEFAULT_REGION, resolveOptions } from './options.js';
import { renderPredeploy } from './predeploy.js';
import { renderProcess } from './process.js';
import type { RenderOptions, RenderResult, RenderedObject } from './types.js';

/**
 * Pods of different processes must never share an `instance` label, or one Deployment's selector would adopt
 * another's pods (a worker `cron-x` next to a cron `x`, a worker named `predeploy`…).
 */
function checkInstances(spec: AppSpec, sink: DiagnosticSink): void {
  const seen = new Map<string, string>();
  const claim = (instance: string, field: string) => {
    const other = seen.get(instance);
    if (other === undefined) seen.set(instance, field);
    else
      refuse(
        sink,
        'NS_RENDER_K8S_NAME_CLASH',
        field,
        `${field} and ${other} would both be named "${instance}" in Kubernetes`,
        `rename one of them`,
      );
  };
  if (spec.web) claim(processName(spec.name, spec.web.name), 'web');
  for (const [i, w] of spec.workers.entries()) claim(processName(spec.name, w.name), `workers[${i}].name`);
  for (const [i, c] of spec.cron.entries()) claim(cronInstance(spec.name, c.name), `cron[${i}].name`);
  if (spec.predeploy) claim(`${spec.name}-predeploy`, 'predeploy');
}

/**
 * Renders the app for one region (one cluster). Pure: same inputs, same objects, in apply order
 * (configuration, predeploy Job, processes, crons, network policies).
 */
export function renderKubernetes(spec: AppSpec, options: RenderOptions = {}): RenderResult {
  const sink = newSink();
  const opts = resolveOptions(spec, options, sink);
  const ctx: RenderContext = {
    spec,
    opts,
    labels: { app: spec.name, release: opts.release, region: opts.region },
    configHash: configHash(spec, opts),
    sink,
  };
  checkInstances(spec, sink);
  if (spec.build) {
    const how = [spec.build.install?.source, spec.build.command?.source].filter(Boolean).join(' && ');
    warn(
      sink,
      'NS_RENDER_K8S_BUILD_NOT_RENDERED',
      'build',
      `build${how ? ` (${how})` : ''} is not run by the render: the pods run the image as given`,
      'build and push the image first, then pass it with --image',
    );
  }
  const objects: RenderedObject[] = [...renderConfig(ctx), ...renderPredeploy(ctx)];
  if (spec.web) objects.push(...renderProcess(ctx, spec.web, 'web'));
  for (const [i, worker] of spec.workers.entries())
    objects.push(...renderProcess(ctx, worker, `workers[${i}]`));
  for (const [i, cron] of spec.cron.entries()) objects.push(...renderCron(ctx, cron, `cron[${i}]`));
  const cronsHere = spec.cron.some((c) => cronRegion(ctx, c) === opts.region);
  objects.push(
    ...renderNetworkPolicies(ctx, spec.workers.length > 0 || cronsHere || spec.predeploy !== null),
  );
  if (sink.errors.length > 0) return { ok: false, errors: sink.errors, warnings: sink.warnings };
  return { ok: true, region: opts.region, release: opts.release, objects, warnings: sink.warnings };
}

/** The regions a full render covers: the manifest's, or the single default one. */
export function renderRegions(spec: AppSpec): readonly string[] {
  return spec.regions.length > 0 ? spec.regions : [DEFAULT_REGION];
}
