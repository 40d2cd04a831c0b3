import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as core from 'kubernetes-models/v1';
import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { KubeObject } from '../../src/index.js';

/** Schema validation of rendered objects with the published Kubernetes, KEDA and prometheus-operator models. */

type Validatable = new (data: never) => { validate(): void };

const MODELS: Record<string, Record<string, unknown>> = {
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'batch/v1': batch,
  'networking.k8s.io/v1': networking,
  v1: core,
  'keda.sh/v1alpha1': keda,
  'monitoring.coreos.com/v1': monitoring,
};

/** Throws when the object's kind has no model or the model rejects it. */
export function validateObject(object: KubeObject): void {
  const Model = MODELS[object.apiVersion]?.[object.kind] as Validatable | undefined;
  if (!Model) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
  try {
    new Model(object as never).validate();
  } catch (err) {
    throw new Error(`${object.kind}/${object.metadata.name}: ${(err as Error).message}`, { cause: err });
  }
}
