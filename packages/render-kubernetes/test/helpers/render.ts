/* eslint-disable @typescript-eslint/no-explicit-any -- rendered objects are read as untyped JSON, the way kubectl sees them */
import type { AppSpec } from '@nightshift/manifest';
import { expect } from 'vitest';
import {
  renderKubernetes,
  type KubeObject,
  type RenderDiagnostic,
  type RenderOptions,
} from '../../src/index.js';

/** Renders and fails the test with the refusals when the render refuses. */
export function renderOk(spec: AppSpec, options: RenderOptions = {}): KubeObject[] {
  const result = renderKubernetes(spec, { image: 'registry.example.com/shop:v7', ...options });
  if (!result.ok) expect.fail(result.errors.map((e) => `${e.code} ${e.field}: ${e.message}`).join('\n'));
  return result.objects.map((o) => o.object);
}

/** Renders and returns the refusals; fails the test when the render succeeds. */
export function refusals(spec: AppSpec, options: RenderOptions = {}): RenderDiagnostic[] {
  const result = renderKubernetes(spec, { image: 'registry.example.com/shop:v7', ...options });
  if (result.ok) expect.fail('the render succeeded; a refusal was expected');
  return [...result.errors];
}

/** The one object of that kind and name. */
export function find(objects: readonly KubeObject[], kind: string, name: string): Record<string, any> {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found, `${kind}/${name}`).toHaveLength(1);
  return found[0] as Record<string, any>;
}
