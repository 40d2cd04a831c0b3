import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';

/**
 * `nightshift render kubernetes` through the built bin, as a user runs it (build first: `npx tsc -b packages/cli`).
 * Each test works in its own temporary app folder.
 */

const BIN = join(import.meta.dirname, '..', 'bin', 'nightshift.js');
const folders: string[] = [];

beforeAll(() => {
  if (!existsSync(join(import.meta.dirname, '..', 'dist', 'main.js')))
    throw new Error('build the CLI first: npx tsc -b packages/cli');
});

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary app folder named `name` with `.paas/app.yaml`. */
function appFolder(manifest: string, name = 'shop'): string {
  const root = mkdtempSync(join(tmpdir(), 'ns-render-'));
  folders.push(root);
  const dir = join(root, name);
  mkdirSync(join(dir, '.paas'), { recursive: true });
  writeFileSync(join(dir, '.paas', 'app.yaml'), manifest);
  return dir;
}

function run(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'render', 'kubernetes', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function kinds(yaml: string): string[] {
  return parseAllDocuments(yaml).map((d) => {
    const o = d.toJS() as { kind: string; metadata: { name: string } };
    return `${o.kind}/${o.metadata.name}`;
  });
}

const ONE_REGION = `
workers:
  - name: emails
    start: node worker.js
    autoscale: { min: 1, max: 4, cpu: 70 }
    resources: { cpu: 0.5 }
cron:
  - name: nightly
    schedule: "0 2 * * *"
    command: node nightly.js
`;

const TWO_REGIONS = `
name: geo
regions: [eu-west, us-east]
secrets: [API_TOKEN]
workers:
  - name: ingest
    start: node ingest.js
    replicas: 2
    regions: { us-east: { replicas: 5 } }
`;

describe('render kubernetes', () => {
  test('prints one multi-document YAML render; the app is named after its folder', () => {
    const r = run(appFolder(ONE_REGION, 'billing'), '--image', 'registry.example.com/billing:v3');
    expect(r.status).toBe(0);
    expect(
      r.stdout.startsWith(
        '# Rendered by nightshift render kubernetes: app billing, region default, release v3.',
      ),
    ).toBe(true);
    expect(kinds(r.stdout)).toEqual([
      'Deployment/billing-emails',
      'HorizontalPodAutoscaler/billing-emails',
      'CronJob/billing-nightly',
      'NetworkPolicy/billing-deny-ingress',
    ]);
    expect(r.stderr).toBe('');
  });

  test('a cron named stale_cleanup (a seed’s manifest) renders as CronJob <app>-stale-cleanup', () => {
    const seed = readFileSync(
      join(import.meta.dirname, '..', '..', 'manifest', 'test', 'fixtures', 'good', 'seed-indexer.yaml'),
      'utf8',
    );
    const r = run(appFolder(seed, 'My_Shop'), '--image', 'registry.example.com/shop:v3');
    expect(r.status).toBe(0);
    expect(kinds(r.stdout)).toEqual([
      'Deployment/my-shop-indexer',
      'CronJob/my-shop-stale-cleanup',
      'NetworkPolicy/my-shop-deny-ingress',
    ]);
    expect(r.stdout).toContain('nightshift.dev/name: stale_cleanup');
  });

  test('several regions need --region on stdout (usage error), or -o DIR for all of them', () => {
    const dir = appFolder(TWO_REGIONS);
    const refused = run(dir);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('error NS_RENDER_K8S_REGION_REQUIRED');
    expect(refused.stdout).toBe('');

    const us = run(dir, '--region', 'us-east', '--image', 'geo:v1');
    expect(us.status).toBe(0);
    expect(us.stdout).toContain('replicas: 5');

    const written = run(dir, '-o', 'k8s', '--image', 'geo:v1');
    expect(written.status).toBe(0);
    expect(readdirSync(join(dir, 'k8s')).sort()).toEqual(['eu-west', 'us-east']);
    expect(readdirSync(join(dir, 'k8s', 'eu-west'))).toEqual([
      '01-deployment-geo-ingest.yaml',
      '02-networkpolicy-geo-deny-ingress.yaml',
    ]);
    expect(readFileSync(join(dir, 'k8s', 'us-east', '01-deployment-geo-ingest.yaml'), 'utf8')).toContain(
      'replicas: 5',
    );
  });

  test('-o replaces the files of an earlier render and leaves the user’s own files alone', () => {
    const dir = appFolder(ONE_REGION);
    expect(run(dir, '-o', 'out', '--image', 'shop:v1').status).toBe(0);
    const region = join(dir, 'out', 'default');
    writeFileSync(join(region, 'kustomization.yaml'), 'resources: []\n');
    writeFileSync(join(dir, '.paas', 'app.yaml'), ONE_REGION.replace(/cron:[\s\S]*/, ''));
    expect(run(dir, '-o', 'out', '--image', 'shop:v1').status).toBe(0);
    expect(readdirSync(region).sort()).toEqual([
      '01-deployment-shop-emails.yaml',
      '02-horizontalpodautoscaler-shop-emails.yaml',
      '03-networkpolicy-shop-deny-ingress.yaml',
      'kustomization.yaml',
    ]);
  });

  test('a field Kubernetes cannot express is refused, naming the field and its line', () => {
    const dir = appFolder(`${ONE_REGION}    overlap: queue_one\n`);
    const r = run(dir, '--image', 'shop:v1');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'error NS_RENDER_K8S_OVERLAP_UNSUPPORTED: .paas/app.yaml:11:14 cron[0].overlap:',
    );
    expect(r.stderr).toContain('hint: use overlap: forbid');
  });

  test('an invalid manifest reports the manifest’s own located errors', () => {
    const r = run(appFolder('workers:\n  - name: emails\n    strat: node w.js\n'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\.paas\/app\.yaml:3:\d+ error NS_MANIFEST_UNKNOWN_KEY/);
  });

  test('-f reads another manifest; a missing one is NS_MANIFEST_FILE_NOT_FOUND', () => {
    const dir = appFolder(ONE_REGION);
    writeFileSync(join(dir, 'other.yaml'), 'name: other\nworkers: [{ name: w, start: node w.js }]\n');
    expect(kinds(run(dir, '-f', 'other.yaml', '--image', 'x:1').stdout)).toContain('Deployment/other-w');
    const missing = run(dir, '-f', 'nope.yaml');
    expect([missing.status, missing.stderr.split('\n')[0]]).toEqual([
      1,
      'error NS_MANIFEST_FILE_NOT_FOUND: cannot read the manifest nope.yaml: no such file',
    ]);
  });
});

/** `--secrets inline` with the fixture's secrets file, for region eu-west. */
const INLINE = [
  '--region',
  'eu-west',
  '--image',
  'geo:v1',
  '--secrets',
  'inline',
  '--secrets-file',
  'secrets.env',
];

describe('secrets', () => {
  test('by default pods reference the Secret and no value is read', () => {
    const dir = appFolder(TWO_REGIONS);
    writeFileSync(join(dir, 'secrets.env'), 'API_TOKEN=value-that-must-not-leak\n');
    const r = run(dir, '--region', 'eu-west', '--image', 'geo:v1');
    expect(r.stdout).toContain('secretKeyRef');
    expect(r.stdout).not.toContain('value-that-must-not-leak');
    const misuse = run(dir, '--region', 'eu-west', '--secrets-file', 'secrets.env');
    expect([misuse.status, misuse.stderr]).toEqual([
      2,
      expect.stringContaining('--secrets-file is only read with --secrets inline'),
    ]);
  });

  test('--secrets inline needs a secrets file; with one it writes the Secret and warns', () => {
    const dir = appFolder(TWO_REGIONS);
    const refused = run(dir, '--region', 'eu-west', '--secrets', 'inline');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('error NS_RENDER_K8S_SECRETS_STORE_UNAVAILABLE');

    writeFileSync(join(dir, 'secrets.env'), '# fixture\nAPI_TOKEN=inline-fixture-value\n');
    const r = run(dir, ...INLINE);
    expect(r.status).toBe(0);
    expect(kinds(r.stdout)[0]).toBe('Secret/geo-secrets');
    expect(r.stdout).toContain('API_TOKEN: inline-fixture-value');
    expect(r.stderr).toContain('warning NS_RENDER_K8S_INLINE_SECRETS');
  });

  test('a secret missing from the file is refused, naming the manifest entry', () => {
    const dir = appFolder(TWO_REGIONS);
    writeFileSync(join(dir, 'secrets.env'), 'OTHER=1\n');
    const r = run(dir, ...INLINE);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error NS_RENDER_K8S_SECRET_VALUE_MISSING: .paas/app.yaml:4:11 secrets[0]:');
  });
});
