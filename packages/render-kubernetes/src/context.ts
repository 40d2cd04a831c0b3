import type { AppSpec } from '@nightshift/manifest';
import type { DiagnosticSink } from './diagnostics.js';
import { objectLabels, type Component, type LabelContext } from './names.js';
import type { ResolvedOptions } from './options.js';
import type { KubeObject } from './types.js';

/** What every object builder of one render reads: the manifest, the resolved options and the sink. */
export interface RenderContext {
  readonly spec: AppSpec;
  readonly opts: ResolvedOptions;
  readonly labels: LabelContext;
  readonly configHash: string;
  readonly sink: DiagnosticSink;
}

/** Standard metadata: name, namespace and the recommended labels. */
export function meta(
  ctx: RenderContext,
  name: string,
  instance: string,
  component: Component,
): KubeObject['metadata'] {
  return { name, namespace: ctx.opts.namespace, labels: objectLabels(ctx.labels, instance, component) };
}
