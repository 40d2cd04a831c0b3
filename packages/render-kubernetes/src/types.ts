/**
 * The render's public shapes: what goes in besides the `AppSpec`, and what comes out.
 * Kubernetes objects are plain JSON-compatible data; tests validate them with `kubernetes-models`.
 */

/** How the app's secrets reach the pods. */
export type SecretsMode = 'ref' | 'inline';

/** How Prometheus finds the processes that declare `metrics`. */
export type PrometheusMode = 'podmonitor' | 'annotations' | 'none';

/** Everything the render needs besides the manifest. Every field is optional; `resolveOptions` fills defaults. */
export interface RenderOptions {
  /** Region to render (one region = one cluster). Default: the manifest's first region, else `default`. */
  readonly region?: string;
  /** Container image for every process. Default: `<app>:latest` (with a warning). */
  readonly image?: string;
  /** Release label and `NIGHTSHIFT_RELEASE`. Default: the image's tag. */
  readonly release?: string;
  /** Namespace of every object. Default: the app's name. */
  readonly namespace?: string;
  /** `ref` (default): pods reference an existing Secret. `inline`: the render writes it from `secretValues`. */
  readonly secrets?: SecretsMode;
  /** Name of the Secret holding the manifest's `secrets`. Default: `<app>-secrets`. */
  readonly secretName?: string;
  /** Secret values, only read when `secrets` is `inline`. */
  readonly secretValues?: Readonly<Record<string, string>>;
  /** Default: `podmonitor`. */
  readonly prometheus?: PrometheusMode;
  /** Namespace Prometheus runs in (allowed to reach the metrics port). Default: `monitoring`. */
  readonly monitoringNamespace?: string;
  /** Existing Secret with the Redis connection (`url`; `address`/`username`/`password` for KEDA). Default: `<app>-redis`. */
  readonly redisSecret?: string;
  /** Existing Secret with the RabbitMQ URL under `url` (for KEDA's rabbitmq trigger). Default: `<app>-rabbitmq`. */
  readonly rabbitmqSecret?: string;
}

/** A rendered Kubernetes object: plain data with the fields every object has. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** One object of the output, with the comment printed above it in YAML (why it looks the way it does). */
export interface RenderedObject {
  readonly object: KubeObject;
  readonly comment: string | null;
}

/** A refusal or a warning. `field` is the manifest path (`workers[0].restart.backoff`) or the option (`--image`). */
export interface RenderDiagnostic {
  readonly severity: 'error' | 'warning';
  /** Stable catalogue code (`NS_RENDER_K8S_…`, docs/errors.md). */
  readonly code: string;
  readonly field: string;
  readonly message: string;
  readonly hint: string;
}

/** The render of one region. Never throws for a bad manifest: refusals come back as `errors`. */
export type RenderResult =
  | {
      readonly ok: true;
      readonly region: string;
      /** The resolved release (`--release`, else the image's tag), for the output's header. */
      readonly release: string;
      readonly objects: readonly RenderedObject[];
      readonly warnings: readonly RenderDiagnostic[];
    }
  | {
      readonly ok: false;
      readonly errors: readonly RenderDiagnostic[];
      readonly warnings: readonly RenderDiagnostic[];
    };
