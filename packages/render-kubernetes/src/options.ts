import type { AppSpec } from '@nightshift/manifest';
import { refuse, warn, type DiagnosticSink } from './diagnostics.js';
import { isDnsLabel, isLabelValue } from './names.js';
import type { PrometheusMode, RenderOptions, SecretsMode } from './types.js';

/** `RenderOptions` with every default applied: the only place render defaults are written. */
export interface ResolvedOptions {
  readonly region: string;
  readonly image: string;
  readonly release: string;
  readonly namespace: string;
  readonly secrets: SecretsMode;
  readonly secretName: string;
  /** Empty unless `secrets` is `inline`: values are never even carried in `ref` mode. */
  readonly secretValues: Readonly<Record<string, string>>;
  readonly prometheus: PrometheusMode;
  readonly monitoringNamespace: string;
  readonly redisSecret: string;
  readonly rabbitmqSecret: string;
}

/** The region a render without `--region` targets when the manifest lists none. */
export const DEFAULT_REGION = 'default';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function isSubdomain(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

/** Splits `registry:5000/shop:1.4.2@sha256:…` into its tag and digest (either may be null). */
export function imageTag(image: string): { readonly tag: string | null; readonly digest: string | null } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : null;
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  return { tag: colon >= 0 ? name.slice(colon + 1) : null, digest };
}

function resolveRegion(spec: AppSpec, region: string | undefined, sink: DiagnosticSink): string {
  if (spec.regions.length > 0) {
    if (region === undefined) return spec.regions[0] ?? DEFAULT_REGION;
    if (!spec.regions.includes(region)) {
      refuse(
        sink,
        'NS_RENDER_K8S_UNKNOWN_REGION',
        '--region',
        `region "${region}" is not one of the manifest's regions (${spec.regions.join(', ')})`,
        `pass one of them with --region, or add "${region}" to \`regions\` in the manifest`,
      );
    }
    return region;
  }
  const chosen = region ?? DEFAULT_REGION;
  if (!isLabelValue(chosen)) {
    refuse(
      sink,
      'NS_RENDER_K8S_INVALID_OPTION',
      '--region',
      `region "${chosen}" is not a valid label value`,
      'use letters, digits and "-" (63 at most)',
    );
  }
  return chosen;
}

function resolveRelease(image: string, release: string | undefined, sink: DiagnosticSink): string {
  if (release !== undefined) {
    if (!isLabelValue(release)) {
      refuse(
        sink,
        'NS_RENDER_K8S_INVALID_OPTION',
        '--release',
        `release "${release}" is not a valid label value`,
        'use letters, digits, ".", "_" and "-" (63 at most), e.g. v7',
      );
    }
    return release;
  }
  const { tag, digest } = imageTag(image);
  if (tag === null && digest !== null) {
    refuse(
      sink,
      'NS_RENDER_K8S_RELEASE_REQUIRED',
      '--release',
      `image "${image}" is pinned by digest and has no tag to name the release`,
      'pass the release with --release (e.g. --release v7)',
    );
    return 'unknown';
  }
  const value = tag ?? 'latest';
  if (!isLabelValue(value)) {
    refuse(
      sink,
      'NS_RENDER_K8S_RELEASE_REQUIRED',
      '--release',
      `the image tag "${value}" cannot be a label value, so it cannot name the release`,
      'pass the release with --release (letters, digits, ".", "_", "-"; 63 at most)',
    );
  }
  return value;
}

function checkName(sink: DiagnosticSink, option: string, value: string, valid: boolean, rule: string): void {
  if (!valid)
    refuse(
      sink,
      'NS_RENDER_K8S_INVALID_OPTION',
      option,
      `"${value}" is not a valid ${rule}`,
      `use lowercase letters, digits and "-" for ${option}`,
    );
}

/** Applies defaults and validates the options; problems go to `sink`. */
export function resolveOptions(spec: AppSpec, options: RenderOptions, sink: DiagnosticSink): ResolvedOptions {
  const region = resolveRegion(spec, options.region, sink);
  let image = options.image;
  if (image === undefined) {
    image = `${spec.name}:latest`;
    warn(
      sink,
      'NS_RENDER_K8S_DEFAULT_IMAGE',
      '--image',
      `no image given: the pods run "${image}"`,
      'pass the image your build produced with --image',
    );
  } else if (image === '' || /\s/.test(image)) {
    refuse(
      sink,
      'NS_RENDER_K8S_INVALID_OPTION',
      '--image',
      `"${image}" is not an image reference`,
      'pass e.g. --image registry.example.com/shop:v7',
    );
  }
  const release = resolveRelease(image, options.release, sink);
  const namespace = options.namespace ?? spec.name;
  checkName(sink, '--namespace', namespace, isDnsLabel(namespace), 'namespace name (DNS label, 63 at most)');
  const monitoringNamespace = options.monitoringNamespace ?? 'monitoring';
  checkName(
    sink,
    '--monitoring-namespace',
    monitoringNamespace,
    isDnsLabel(monitoringNamespace),
    'namespace name',
  );
  const secretName = options.secretName ?? `${spec.name}-secrets`;
  checkName(sink, '--secret-name', secretName, isSubdomain(secretName), 'Secret name');
  const redisSecret = options.redisSecret ?? `${spec.name}-redis`;
  checkName(sink, '--redis-url-secret', redisSecret, isSubdomain(redisSecret), 'Secret name');
  const rabbitmqSecret = options.rabbitmqSecret ?? `${spec.name}-rabbitmq`;
  checkName(sink, '--rabbitmq-url-secret', rabbitmqSecret, isSubdomain(rabbitmqSecret), 'Secret name');
  const secrets = options.secrets ?? 'ref';
  return {
    region,
    image,
    release,
    namespace,
    secrets,
    secretName,
    secretValues: secrets === 'inline' ? (options.secretValues ?? {}) : {},
    prometheus: options.prometheus ?? 'podmonitor',
    monitoringNamespace,
    redisSecret,
    rabbitmqSecret,
  };
}
