/* eslint-disable @typescript-eslint/no-unsafe-return -- rendered objects are read as untyped JSON, the way kubectl sees them */
import { describe, expect, test } from 'vitest';
import { newSink, parseSecretsFile, renderKubernetes, toYamlStream } from '../src/index.js';
import { find } from './helpers/render.js';
import { app, cron, cmd, web, worker } from './helpers/spec.js';

const VALUES = { DATABASE_URL: 'postgres://u:hunter2-db@db/shop', SMTP_PASS: 's3cr3t-smtp-value' };

const spec = app({
  env: { LOG_LEVEL: 'info' },
  secrets: ['DATABASE_URL', 'SMTP_PASS'],
  predeploy: cmd('node dist/migrate.js'),
  web: web(),
  workers: [worker('emails')],
  cron: [cron('nightly', '@daily')],
});

function yamlOf(options: Parameters<typeof renderKubernetes>[1]): string {
  const result = renderKubernetes(spec, { image: 'shop:v1', ...options });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join());
  return toYamlStream(result.objects, '') + JSON.stringify(result.warnings);
}

describe('secret values', () => {
  test('never appear in a ref render, even when the caller passes them', () => {
    const text = yamlOf({ secrets: 'ref', secretValues: VALUES });
    for (const value of Object.values(VALUES)) expect(text).not.toContain(value);
    expect(text).not.toContain('kind: Secret');
    expect(text).toContain('secretKeyRef');
  });

  test('appear only in the Secret of an inline render, with a warning', () => {
    const result = renderKubernetes(spec, { image: 'shop:v1', secrets: 'inline', secretValues: VALUES });
    if (!result.ok) throw new Error('refused');
    const objects = result.objects.map((o) => o.object);
    expect(find(objects, 'Secret', 'shop-secrets').stringData).toEqual(VALUES);
    const others = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    for (const value of Object.values(VALUES)) expect(others).not.toContain(value);
    expect(result.warnings.map((w) => w.code)).toContain('NS_RENDER_K8S_INLINE_SECRETS');
  });

  test('a rotated value rolls the pods in inline mode (the config hash changes)', () => {
    const hash = (values: Record<string, string>) => {
      const r = renderKubernetes(spec, { image: 'shop:v1', secrets: 'inline', secretValues: values });
      return r.ok
        ? find(
            r.objects.map((o) => o.object),
            'Deployment',
            'shop-emails',
          ).spec.template.metadata.annotations
        : null;
    };
    expect(hash({ ...VALUES, SMTP_PASS: 'rotated' })).not.toEqual(hash(VALUES));
  });

  test('a missing value in inline mode is refused, naming the secret', () => {
    const result = renderKubernetes(spec, {
      image: 'shop:v1',
      secrets: 'inline',
      secretValues: { DATABASE_URL: 'x' },
    });
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.field])).toEqual([
      ['NS_RENDER_K8S_SECRET_VALUE_MISSING', 'secrets[1]'],
    ]);
  });
});

describe('secrets file', () => {
  test('reads NAME=value lines verbatim after the first =', () => {
    const sink = newSink();
    const values = parseSecretsFile('# comment\n\nA=1\nB= spaced = kept \r\nC=\n', '.env', sink);
    expect(values).toEqual({ A: '1', B: ' spaced = kept ', C: '' });
    expect(sink.errors).toEqual([]);
  });

  test('reports a bad line by number without echoing it', () => {
    const sink = newSink();
    parseSecretsFile('A=1\nhunter2\n', 'secrets.env', sink);
    expect(sink.errors.map((e) => [e.code, e.field])).toEqual([
      ['NS_RENDER_K8S_SECRETS_FILE_INVALID', 'secrets.env:2'],
    ]);
    expect(JSON.stringify(sink.errors)).not.toContain('hunter2');
  });
});
