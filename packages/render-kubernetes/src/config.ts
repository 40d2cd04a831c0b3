import { meta, type RenderContext } from './context.js';
import { refuse, warn } from './diagnostics.js';
import { checkEnvNames, configMapName } from './env.js';
import type { RenderedObject } from './types.js';

/**
 * The app's plain `env` as a ConfigMap, and — only with `--secrets inline` — a Secret written from the values the
 * caller passed in. By default pods reference an existing Secret and no value ever appears in the output.
 */
export function renderConfig(ctx: RenderContext): RenderedObject[] {
  const { spec, opts, sink } = ctx;
  checkEnvNames(spec, spec.env, 'env', sink);
  const out: RenderedObject[] = [];
  if (Object.keys(spec.env).length > 0) {
    const name = configMapName(spec.name);
    out.push({
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: meta(ctx, name, name, 'config'),
        data: { ...spec.env },
      },
      comment: null,
    });
  }
  if (opts.secrets === 'ref' || spec.secrets.length === 0) return out;
  const stringData: Record<string, string> = {};
  for (const [i, key] of spec.secrets.entries()) {
    const value = opts.secretValues[key];
    if (value === undefined) {
      refuse(
        sink,
        'NS_RENDER_K8S_SECRET_VALUE_MISSING',
        `secrets[${i}]`,
        `no value was given for the secret ${key}`,
        `add ${key}=… to the secrets file, or render with --secrets ref`,
      );
    } else {
      stringData[key] = value;
    }
  }
  warn(
    sink,
    'NS_RENDER_K8S_INLINE_SECRETS',
    '--secrets',
    `Secret ${opts.secretName} is written with ${spec.secrets.length} secret value(s) in plain text`,
    'do not commit this output; for GitOps render with --secrets ref and manage the Secret with your secret operator',
  );
  const name = opts.secretName;
  out.push({
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(ctx, name, name, 'config'),
      type: 'Opaque',
      stringData,
    },
    comment: 'Contains secret values in plain text (rendered with --secrets inline). Do not commit it.',
  });
  return out;
}
